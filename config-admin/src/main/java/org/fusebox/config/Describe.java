package org.fusebox.config;

import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Properties in one line for health and the log: {@code key=value, ...}, secrets masked, local keys left out. */
final class Describe {

    static final String MASK = "********";

    private Describe() {
    }

    static String properties(Map<String, Object> properties, SecretPolicy secrets, Optional<ObjectClassDefinition> ocd) {
        StringJoiner j = new StringJoiner(", ");
        new TreeMap<>(properties).forEach((k, v) -> {
            if (!ConfigurationEngine.isLocalKey(k) && !k.equals("service.pid")) {
                j.add(k + "=" + (secrets.isSecret(k, ocd) ? MASK : String.join(",", ConfigurationCheck.asStrings(v))));
            }
        });
        return j.length() == 0 ? "(empty)" : j.toString();
    }
}

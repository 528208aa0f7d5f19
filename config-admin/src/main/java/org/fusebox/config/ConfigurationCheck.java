package org.fusebox.config;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Checks one configuration against its Metatype definition: every value must pass the attribute's own
 * validation (type, range, options), and every key must be one the definition knows, so that a typo in
 * an etc/*.cfg file is reported instead of silently ignored.
 */
final class ConfigurationCheck {

    private ConfigurationCheck() {
    }

    /** Keys the framework, Config Admin and file install add on their own. */
    private static boolean isInfrastructureKey(String key) {
        return key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")
                || key.startsWith("osgi.") || key.startsWith(".");
    }

    static List<String> problems(String pid, Dictionary<String, Object> properties, ObjectClassDefinition ocd) {
        List<String> problems = new ArrayList<>();
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        Set<String> known = new TreeSet<>();
        if (ads != null) {
            for (AttributeDefinition ad : ads) {
                known.add(ad.getID());
                Object value = properties.get(ad.getID());
                if (value == null) {
                    continue; // the component's default applies
                }
                for (String v : asStrings(value)) {
                    String verdict = ad.validate(v);
                    if (verdict != null && !verdict.isEmpty()) {
                        problems.add(pid + ": " + ad.getID() + "=" + v + " is invalid: " + verdict);
                    }
                }
            }
        }
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!known.contains(key) && !isInfrastructureKey(key)) {
                problems.add(pid + ": unknown key '" + key + "' (known keys: " + String.join(", ", known) + ")");
            }
        }
        return problems;
    }

    /** Metatype validates strings; arrays and collections are checked element by element. */
    static List<String> asStrings(Object value) {
        List<String> out = new ArrayList<>();
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(String.valueOf(Array.get(value, i)));
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(e -> out.add(String.valueOf(e)));
        } else {
            out.add(String.valueOf(value));
        }
        return out;
    }
}

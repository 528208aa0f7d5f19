package org.fusebox.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Which properties are secrets: those whose Metatype attribute is a PASSWORD, and those whose name
 * contains one of the configured words (case does not matter), so that a secret of a configuration
 * without Metatype is hidden too.
 */
final class SecretPolicy {

    static final List<String> DEFAULT_WORDS = List.of("password", "secret", "token", "key");

    private final List<String> words;

    SecretPolicy(List<String> words) {
        this.words = words.stream().map(w -> w.trim().toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty()).toList();
    }

    List<String> words() {
        return words;
    }

    boolean isSecret(String key, Optional<ObjectClassDefinition> ocd) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String w : words) {
            if (lower.contains(w)) {
                return true;
            }
        }
        if (ocd.isPresent()) {
            AttributeDefinition[] ads = ocd.get().getAttributeDefinitions(ObjectClassDefinition.ALL);
            if (ads != null) {
                for (AttributeDefinition ad : ads) {
                    if (ad.getID().equals(key) && ad.getType() == AttributeDefinition.PASSWORD) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

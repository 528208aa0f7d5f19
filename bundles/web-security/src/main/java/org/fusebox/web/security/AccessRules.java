package org.fusebox.web.security;

import java.util.ArrayList;
import java.util.List;

/**
 * The access table: the first rule that matches a request's method and path decides; a request no rule matches
 * needs {@link Role#ADMIN} (nothing is open by accident). Site-specific rules (configuration {@code rules}) come
 * before the built-in ones, so a bundle's README can say "add {@code GET /fusebox/ui/** public}".
 */
public final class AccessRules {

    /**
     * Who may do what, first match wins. Writes are never covered by a read rule: every read rule names its
     * methods.
     */
    public static final List<String> DEFAULTS = List.of(
            "GET,HEAD     /fusebox/api/v1/health                     public",
            "POST         /fusebox/api/v1/auth/login                 public",
            "POST         /fusebox/api/v1/auth/setup                 public",
            "POST         /fusebox/api/v1/auth/logout                viewer",
            "GET,HEAD     /fusebox/api/v1/auth/me                    viewer",
            "*            /fusebox/api/v1/auth/tokens/**             admin",
            "POST,DELETE  /fusebox/api/v1/chargers/*/*/request       driver",
            "*            /fusebox/api/v1/config/**                  installer",
            "GET,HEAD     /**                                        viewer",
            "*            /**                                        admin");

    private static final AccessRule FALLBACK = AccessRule.parse("* /** admin");

    private final List<AccessRule> rules;

    private AccessRules(List<AccessRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static AccessRules defaults() {
        return withExtra(List.of());
    }

    /** {@code extra} lines first, then {@link #DEFAULTS}; throws {@link IllegalArgumentException} for a bad line. */
    public static AccessRules withExtra(List<String> extra) {
        List<AccessRule> all = new ArrayList<>();
        for (String line : extra) {
            if (!line.isBlank()) {
                all.add(AccessRule.parse(line));
            }
        }
        DEFAULTS.forEach(line -> all.add(AccessRule.parse(line)));
        return new AccessRules(all);
    }

    /** The rule that decides this request. */
    public AccessRule ruleFor(String method, String path) {
        for (AccessRule rule : rules) {
            if (rule.matches(method, path)) {
                return rule;
            }
        }
        return FALLBACK;
    }

    public List<AccessRule> rules() {
        return rules;
    }
}

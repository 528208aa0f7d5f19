package org.fusebox.web.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One line of the access table: {@code METHODS PATH REQUIREMENT}, for example
 * {@code POST,DELETE /fusebox/api/v1/chargers/* /* /request driver}.
 *
 * <ul>
 *   <li>METHODS: a comma-separated list of HTTP methods, or {@code *} for every method;</li>
 *   <li>PATH: the request path from the server root; {@code *} matches one path segment, a trailing {@code /**}
 *       the path itself and everything below it;</li>
 *   <li>REQUIREMENT: {@code public} (no credentials needed) or a {@link Role} id, the least role that may.</li>
 * </ul>
 *
 * @param methods upper case, or empty for every method
 * @param segments the path split on {@code /}
 * @param role the least role; empty means public
 */
public record AccessRule(Set<String> methods, List<String> segments, Optional<Role> role, String text) {

    public static final String PUBLIC = "public";

    public AccessRule {
        methods = Set.copyOf(methods);
        segments = List.copyOf(segments);
    }

    /** Parses one line; throws {@link IllegalArgumentException} saying what is wrong. */
    public static AccessRule parse(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 3) {
            throw new IllegalArgumentException("access rule '" + line.trim() + "' must be 'METHODS PATH ROLE', e.g. 'GET,HEAD /fusebox/api/v1/** viewer'");
        }
        Set<String> methods = "*".equals(parts[0]) ? Set.of()
                : Arrays.stream(parts[0].split(",")).map(m -> m.trim().toUpperCase(Locale.ROOT)).filter(m -> !m.isEmpty())
                        .collect(Collectors.toSet());
        if (!"*".equals(parts[0]) && (methods.isEmpty() || methods.stream().anyMatch(m -> !m.matches("[A-Z]+")))) {
            throw new IllegalArgumentException("access rule '" + line.trim() + "': methods must be '*' or names such as GET,POST");
        }
        if (!parts[1].startsWith("/")) {
            throw new IllegalArgumentException("access rule '" + line.trim() + "': the path must start with '/'");
        }
        List<String> segments = segments(parts[1]);
        int doubleStar = segments.indexOf("**");
        if (doubleStar >= 0 && doubleStar != segments.size() - 1) {
            throw new IllegalArgumentException("access rule '" + line.trim() + "': '**' may only end the path");
        }
        Optional<Role> role;
        if (PUBLIC.equalsIgnoreCase(parts[2])) {
            role = Optional.empty();
        } else {
            role = Optional.of(Role.parse(parts[2]).orElseThrow(() -> new IllegalArgumentException("access rule '" + line.trim()
                    + "': unknown role '" + parts[2] + "' (public, viewer, driver, installer, admin)")));
        }
        return new AccessRule(methods, segments, role, line.trim().replaceAll("\\s+", " "));
    }

    public boolean isPublic() {
        return role.isEmpty();
    }

    public boolean matches(String method, String path) {
        if (!methods.isEmpty() && !methods.contains(method.toUpperCase(Locale.ROOT))) {
            return false;
        }
        List<String> actual = segments(path);
        for (int i = 0; i < segments.size(); i++) {
            String want = segments.get(i);
            if ("**".equals(want)) {
                return true;
            }
            if (i >= actual.size()) {
                return false;
            }
            if (!"*".equals(want) && !want.equals(actual.get(i))) {
                return false;
            }
        }
        return actual.size() == segments.size();
    }

    /** Empty segments (a trailing or doubled slash) are dropped, so {@code /a//b/} is {@code /a/b}. */
    private static List<String> segments(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return text;
    }
}

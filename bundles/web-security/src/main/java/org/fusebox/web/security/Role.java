package org.fusebox.web.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * What an account may do over HTTP. Each role includes every role before it: a driver may do what a viewer may
 * (read) and post charging requests; an installer also changes the site's configuration; an admin also manages
 * accounts, tokens and bundles.
 *
 * <p>In Karaf's JAAS realm the roles carry a {@code fusebox-} prefix ({@code fusebox-admin}), so that a Fusebox
 * administrator is not by the same token an administrator of the Karaf console (whose roles are {@code admin},
 * {@code manager}, {@code viewer}, {@code ssh}).
 */
public enum Role {
    VIEWER, DRIVER, INSTALLER, ADMIN;

    static final String JAAS_PREFIX = "fusebox-";

    /** Whether this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    /** The name used in the API, in commands and in the rules: {@code viewer}, {@code driver}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role's name in the JAAS realm: {@code fusebox-viewer}, ... */
    public String jaasName() {
        return JAAS_PREFIX + id();
    }

    /** {@code viewer}, {@code VIEWER} or {@code fusebox-viewer}. */
    public static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith(JAAS_PREFIX)) {
            t = t.substring(JAAS_PREFIX.length());
        }
        String id = t;
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
    }

    /** The strongest Fusebox role among JAAS role names; other names (Karaf's own roles) are ignored. */
    public static Optional<Role> strongestOf(Collection<String> jaasRoleNames) {
        return jaasRoleNames.stream()
                .filter(n -> n.startsWith(JAAS_PREFIX))
                .map(Role::parse)
                .flatMap(Optional::stream)
                .max(Enum::compareTo);
    }
}

package org.fusebox.web.security;

import java.util.Optional;

/** An account of the JAAS realm as Fusebox sees it: its strongest Fusebox role, empty when it has none. */
public record Account(String name, Optional<Role> role) {
}

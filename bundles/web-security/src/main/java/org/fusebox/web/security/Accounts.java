package org.fusebox.web.security;

import java.util.List;
import java.util.Optional;

/** Where accounts live: Karaf's JAAS realm ({@link JaasAccounts}). */
public interface Accounts {

    /** The account, when the realm accepts this name and password; empty when it refuses them. */
    Optional<Account> authenticate(String user, String password);

    /** Creates an account with one Fusebox role; refuses a name that exists already. */
    void add(String user, String password, Role role);

    /** Removes an account; false when there was none. */
    boolean remove(String user);

    List<Account> list();

    /** False while the realm is not there yet (at start-up): a login then is neither right nor wrong. */
    default boolean ready() {
        return true;
    }

    default boolean anyAdmin() {
        return list().stream().anyMatch(a -> a.role().filter(r -> r == Role.ADMIN).isPresent());
    }

    /** The names this gateway accepts for accounts and tokens: they go into users.properties as they are. */
    static void checkName(String user) {
        if (user == null || !user.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("a user name is 1 to 64 letters, digits or . _ @ -, got '" + user + "'");
        }
    }

    int MIN_PASSWORD_LENGTH = 10;

    static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("a password has at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.chars().anyMatch(c -> c == ',' || c == '\n' || c == '\r')) {
            throw new IllegalArgumentException("a password may not contain a comma or a line break (Karaf's users.properties separates roles with commas)");
        }
    }
}

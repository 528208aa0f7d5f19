package org.fusebox.web.security;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts of a Karaf JAAS realm: logins go through the realm's login modules (for Karaf's realm "karaf", the
 * properties module over etc/users.properties with the password encryption of etc/org.apache.karaf.jaas.cfg);
 * accounts are created and removed through the backing engine Karaf's own {@code jaas:*} commands use.
 */
final class JaasAccounts implements Accounts {

    private static final Logger LOG = LoggerFactory.getLogger(JaasAccounts.class);
    private static final String PROPERTIES_MODULE = "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule";

    private final String realmName;
    private final Supplier<Collection<JaasRealm>> realms;
    private final Supplier<Collection<BackingEngineFactory>> engines;

    JaasAccounts(String realmName, Supplier<Collection<JaasRealm>> realms, Supplier<Collection<BackingEngineFactory>> engines) {
        this.realmName = realmName;
        this.realms = realms;
        this.engines = engines;
    }

    @Override
    public boolean ready() {
        return realms.get().stream().anyMatch(r -> realmName.equals(r.getName()));
    }

    @Override
    public Optional<Account> authenticate(String user, String password) {
        if (user == null || password == null || user.isEmpty()) {
            return Optional.empty();
        }
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        // the JAAS configuration names Karaf's ProxyLoginModule, which LoginContext loads through the context loader
        thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
        try {
            LoginContext login = new LoginContext(realmName, subject, callbacks -> answer(callbacks, user, password));
            login.login();
            List<String> roles = subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName).toList();
            try {
                login.logout();
            } catch (LoginException e) {
                LOG.debug("JAAS logout after checking {} failed: {}", user, e.getMessage());
            }
            return Optional.of(new Account(user, Role.strongestOf(roles)));
        } catch (LoginException e) {
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private static void answer(Callback[] callbacks, String user, String password) throws UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback n) {
                n.setName(user);
            } else if (c instanceof PasswordCallback p) {
                p.setPassword(password.toCharArray());
            } else {
                throw new UnsupportedCallbackException(c);
            }
        }
    }

    @Override
    public synchronized void add(String user, String password, Role role) {
        Accounts.checkName(user);
        Accounts.checkPassword(password);
        BackingEngine engine = engine();
        if (engine.lookupUser(user) != null) {
            throw new IllegalArgumentException("an account named '" + user + "' exists already; remove it first (fusebox:user-remove " + user + ")");
        }
        engine.addUser(user, password);
        engine.addRole(user, role.jaasName());
    }

    @Override
    public synchronized boolean remove(String user) {
        BackingEngine engine = engine();
        if (user == null || engine.lookupUser(user) == null) {
            return false;
        }
        engine.deleteUser(user);
        return true;
    }

    @Override
    public synchronized List<Account> list() {
        BackingEngine engine = engine();
        List<Account> accounts = new ArrayList<>();
        for (UserPrincipal u : engine.listUsers()) {
            List<String> roles = engine.listRoles(u).stream().map(Principal::getName).toList();
            accounts.add(new Account(u.getName(), Role.strongestOf(roles)));
        }
        accounts.sort((a, b) -> a.name().compareTo(b.name()));
        return accounts;
    }

    /** The backing engine of the realm's properties module, as Karaf's jaas:* commands find it. */
    private BackingEngine engine() {
        JaasRealm realm = realms.get().stream().filter(r -> realmName.equals(r.getName()))
                .max((a, b) -> Integer.compare(a.getRank(), b.getRank()))
                .orElseThrow(() -> new IllegalStateException("no JAAS realm named '" + realmName + "' (is the jaas feature installed?)"));
        for (AppConfigurationEntry entry : realm.getEntries()) {
            Map<String, ?> options = entry.getOptions();
            Object module = options.get(ProxyLoginModule.PROPERTY_MODULE);
            if (PROPERTIES_MODULE.equals(module)) {
                for (BackingEngineFactory factory : engines.get()) {
                    if (PROPERTIES_MODULE.equals(factory.getModuleClass())) {
                        return factory.build(options);
                    }
                }
                throw new IllegalStateException("Karaf's properties backing engine is not registered (is the jaas feature installed?)");
            }
        }
        throw new IllegalStateException("the JAAS realm '" + realmName + "' has no properties login module; manage its accounts where it keeps them");
    }
}

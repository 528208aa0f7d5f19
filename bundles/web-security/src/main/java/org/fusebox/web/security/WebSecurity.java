package org.fusebox.web.security;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the HTTP guard, the auth endpoints and the console commands share: the accounts (a Karaf JAAS
 * realm), API tokens, sessions, the login throttle, the access table and the one-time setup token.
 */
@Component(service = WebSecurity.class, immediate = true, configurationPid = WebSecurity.PID)
@Designate(ocd = WebSecurityConfig.class)
public final class WebSecurity {

    static final String PID = "fusebox.web.security";
    private static final Logger LOG = LoggerFactory.getLogger(WebSecurity.class);
    private static final int MAX_THROTTLED_KEYS = 10_000;

    private final List<JaasRealm> realms = new CopyOnWriteArrayList<>();
    private final List<BackingEngineFactory> engines = new CopyOnWriteArrayList<>();

    private Accounts accounts;
    private ApiTokens tokens;
    private SessionStore sessions;
    private LoginThrottle throttle;
    private AccessRules rules;
    private final SetupToken setup = new SetupToken();

    /**
     * At least one realm and one backing engine: this bundle starts before Karaf's JAAS modules (start level 25,
     * for the HTTPS keystore), and without them there is nobody to log in and nothing to list.
     */
    /**
     * Karaf's properties login module hashes and checks passwords through this service; a login tried before it is
     * registered fails as a wrong password and would count against the caller's limit, so nothing is served before it.
     */
    @Reference(target = "(name=" + Pbkdf2EncryptionService.NAME + ")")
    org.apache.karaf.jaas.modules.EncryptionService encryption;

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC)
    void addRealm(JaasRealm realm) {
        realms.add(realm);
        retrySetupOffer();
    }

    void removeRealm(JaasRealm realm) {
        realms.remove(realm);
    }

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC)
    void addEngine(BackingEngineFactory factory) {
        engines.add(factory);
        retrySetupOffer();
    }

    void removeEngine(BackingEngineFactory factory) {
        engines.remove(factory);
    }

    public WebSecurity() {
        // for Declarative Services
    }

    /** For tests: the parts without OSGi. */
    WebSecurity(Accounts accounts, ApiTokens tokens, SessionStore sessions, LoginThrottle throttle, AccessRules rules) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessions = sessions;
        this.throttle = throttle;
        this.rules = rules;
    }

    @Activate
    void activate(BundleContext context, WebSecurityConfig config) {
        Clock clock = Clock.systemUTC();
        rules = AccessRules.withExtra(Arrays.asList(config.rules()));
        sessions = new SessionStore(clock, Duration.ofMinutes(config.sessionIdleMinutes()), Duration.ofHours(config.sessionLifetimeHours()),
                config.maxSessions());
        throttle = new LoginThrottle(clock, config.loginMaxFailures(), Duration.ofSeconds(config.loginWindowSeconds()), MAX_THROTTLED_KEYS);
        String etc = Optional.ofNullable(context.getProperty("karaf.etc")).orElse("etc");
        Path tokensFile = config.tokensFile().isBlank() ? Path.of(etc, "fusebox", "api-tokens.properties") : Path.of(etc).resolve(config.tokensFile());
        tokens = new ApiTokens(tokensFile, clock);
        realmName = config.realm();
        accounts = new JaasAccounts(config.realm(), () -> realms, () -> engines);
        LOG.info("Fusebox web security: JAAS realm '{}', {} access rules, API tokens in {}", config.realm(), rules.rules().size(), tokensFile);
        offerSetupWhenNoAdmin(config.realm());
    }

    /** Set once the realm could be asked whether it has an administrator. */
    private volatile boolean setupChecked;
    private volatile String realmName;

    /** A realm or engine came later than the activation (the realm "karaf" may be registered after us). */
    private void retrySetupOffer() {
        if (accounts != null && !setupChecked) {
            offerSetupWhenNoAdmin(realmName);
        }
    }

    /** While the realm has no administrator, a one-time setup token is logged (once per start). */
    private synchronized void offerSetupWhenNoAdmin(String realm) {
        if (setupChecked) {
            return;
        }
        boolean admin;
        try {
            admin = accounts.anyAdmin();
        } catch (RuntimeException e) {
            LOG.info("Cannot list the accounts of JAAS realm '{}' yet: {}; asking again when it is registered", realm, e.getMessage());
            return;
        }
        setupChecked = true;
        if (!admin) {
            String token = setup.issue();
            LOG.warn("Fusebox has no administrator account yet. Create one on the console with 'fusebox:user-add <name> admin', "
                    + "or once over HTTP: POST /fusebox/api/v1/auth/setup with {\"token\": \"{}\", \"username\": ..., \"password\": ...}. "
                    + "This setup token works once, and only until the next restart.", token);
        }
    }

    public Accounts accounts() {
        return accounts;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public LoginThrottle throttle() {
        return throttle;
    }

    public AccessRules rules() {
        return rules;
    }

    public SetupToken setup() {
        return setup;
    }

    /** Adds an account; the setup token is withdrawn as soon as an administrator exists. */
    public void addAccount(String user, String password, Role role) {
        accounts.add(user, password, role);
        if (role == Role.ADMIN) {
            setup.withdraw();
        }
    }

    /** Removes an account and ends its sessions; answers whether there was one. */
    public boolean removeAccount(String user) {
        boolean removed = accounts.remove(user);
        sessions.closeAllOf(user);
        return removed;
    }

    Collection<JaasRealm> realmsForTests() {
        return realms;
    }
}

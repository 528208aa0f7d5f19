package org.fusebox.web.security;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox web security",
        description = "Accounts, sessions, API tokens and access rules of every request on the HTTP port. PID fusebox.web.security; every key is optional.")
public @interface WebSecurityConfig {

    @AttributeDefinition(name = "JAAS realm", description = "The Karaf JAAS realm accounts live in; 'karaf' keeps them in etc/users.properties.")
    String realm() default "karaf";

    @AttributeDefinition(name = "Session idle timeout (min)", min = "1", max = "1440",
            description = "A session without a request for this long ends.")
    int sessionIdleMinutes() default 30;

    @AttributeDefinition(name = "Session lifetime (h)", min = "1", max = "168",
            description = "A session ends this long after its login, however busy.")
    int sessionLifetimeHours() default 12;

    @AttributeDefinition(name = "Most sessions", min = "1", max = "10000",
            description = "Sessions held at once; a login beyond this ends the oldest.")
    int maxSessions() default 200;

    @AttributeDefinition(name = "Failed logins allowed", min = "1", max = "1000",
            description = "Failed logins per client address, and per user name, within the window before further attempts get 429.")
    int loginMaxFailures() default 5;

    @AttributeDefinition(name = "Failed login window (s)", min = "10", max = "86400",
            description = "How long a failed login counts.")
    int loginWindowSeconds() default 300;

    @AttributeDefinition(name = "Extra access rules", required = false,
            description = "Lines 'METHODS PATH ROLE' checked before the built-in table, e.g. 'GET,HEAD /fusebox/ui/** public'. ROLE is public, viewer, driver, installer or admin.")
    String[] rules() default {};

    @AttributeDefinition(name = "API token file", required = false,
            description = "Where API tokens are kept (hashed); empty means ${karaf.etc}/fusebox/api-tokens.properties.")
    String tokensFile() default "";
}

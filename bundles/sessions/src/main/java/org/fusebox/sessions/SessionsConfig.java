package org.fusebox.sessions;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox charging sessions",
        description = "Records every charging session with its metered energy and cost per price slot. PID fusebox.sessions.")
public @interface SessionsConfig {

    @AttributeDefinition(name = "Store file",
            description = "The session history (JSON lines). Empty: fusebox/sessions.jsonl in the Karaf data directory.")
    String storeFile() default "";

    @AttributeDefinition(name = "Retention (days)", min = "1", max = "3650",
            description = "Finished sessions older than this are pruned from the history.")
    int retentionDays() default 400;

    @AttributeDefinition(name = "Lost after (minutes)", min = "1", max = "10080",
            description = "An active session not seen for this long (its charger gone) is closed as lost when last seen.")
    int lostAfterMinutes() default 60;

    @AttributeDefinition(name = "Unobserved gap (minutes)", min = "1", max = "1440",
            description = "A session found gone after the gateway saw nothing for longer than this ended unobserved: "
                    + "it is closed as lost, ending when last seen.")
    int gapMinutes() default 5;

    @AttributeDefinition(name = "Re-adopt within (minutes)", min = "0", max = "1440",
            description = "The same transaction back on its connector within this long after it ended (a charger "
                    + "reboot) continues the session.")
    int readoptWithinMinutes() default 30;

    @AttributeDefinition(name = "Most a connector draws (kW)", min = "1", max = "2000",
            description = "An energy register step beyond this power over its time is a meter jump and is not counted.")
    int maxConnectorKw() default 400;

    @AttributeDefinition(name = "Write active sessions every (seconds)", min = "1", max = "3600",
            description = "Active sessions' energy is written at least this often (starts, ends and new slots at once).")
    int persistSeconds() default 60;

    @AttributeDefinition(name = "Report time zone",
            description = "Zone in which report periods (dates) are read before the first control cycle, e.g. "
                    + "Europe/Brussels; once a cycle has run, the site's time zone (siteTimeZone of fusebox.core) is used.")
    String reportZone() default "UTC";
}

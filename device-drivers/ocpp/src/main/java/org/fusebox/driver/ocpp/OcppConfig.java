package org.fusebox.driver.ocpp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fusebox OCPP 1.6J central system",
        description = "The local central system chargers connect to at ws[s]://HOST:PORT/ocpp/{chargePointId}."
                + " PID fusebox.driver.ocpp (etc/fusebox.driver.ocpp.cfg).")
public @interface OcppConfig {

    @AttributeDefinition(name = "Port", min = "0", max = "65535", description = "TCP port; 0 picks a free one.")
    int port() default 8887;

    @AttributeDefinition(name = "Bind host", description = "Address to listen on; 0.0.0.0 for all.")
    String bindHost() default "0.0.0.0";

    @AttributeDefinition(name = "Charge points", required = false,
            description = "Known charge points, comma separated: ID or ID:option=value;option=value with options"
                    + " connectors (count), maxCurrent, minCurrent, failsafeCurrent (A), phases (1, 3, L1, L2 or L3),"
                    + " unit (A or W). Example: CP001, CP002:connectors=2;maxCurrent=16;phases=1")
    String[] chargePoints() default {};

    @AttributeDefinition(name = "Passwords", type = AttributeType.PASSWORD, required = false,
            description = "HTTP Basic auth passwords, comma separated ID=password (OCPP security profile 1/2)."
                    + " A charge point with a password must present it. Passwords cannot contain commas.")
    String[] passwords() default {};

    @AttributeDefinition(name = "Security profile", options = {
            @Option(label = "0: none (closed networks only)", value = "0"),
            @Option(label = "1: HTTP Basic auth", value = "1"),
            @Option(label = "2: TLS and HTTP Basic auth", value = "2") },
            description = "1 and 2 require a password for every charge point; 2 requires TLS. The default is 1: profile 0"
                    + " lets anyone on the network act as a charger, so a configuration must ask for it by name.")
    int securityProfile() default 1;

    @AttributeDefinition(name = "Auto-registration",
            description = "Accept charge points not listed, with the default connector settings.")
    boolean autoRegistration() default false;

    @AttributeDefinition(name = "Auto-registration password", type = AttributeType.PASSWORD, required = false,
            description = "The password unlisted charge points must present under security profile 1 or 2.")
    String autoRegistrationPassword() default "";

    @AttributeDefinition(name = "Boot policy", options = {
            @Option(label = "Accepted", value = "Accepted"), @Option(label = "Pending", value = "Pending"),
            @Option(label = "Rejected", value = "Rejected") },
            description = "How BootNotifications are answered.")
    String bootPolicy() default "Accepted";

    @AttributeDefinition(name = "Heartbeat interval (s)", min = "1", max = "86400",
            description = "Sent in the BootNotification answer.")
    int heartbeatIntervalSeconds() default 300;

    @AttributeDefinition(name = "Call timeout (ms)", min = "100", max = "600000",
            description = "How long to wait for a charger's answer to one call.")
    int callTimeoutMillis() default 30000;

    @AttributeDefinition(name = "Call retries", min = "0", max = "5",
            description = "How often a call that timed out is sent again before it fails.")
    int callRetries() default 1;

    @AttributeDefinition(name = "Connection lost timeout (s)", min = "0", max = "3600",
            description = "WebSocket ping period; a charger that answers no ping (TCP open or not) is dropped and"
                    + " shown OFFLINE within about twice this (30 s by default). 0 disables.")
    int connectionLostTimeoutSeconds() default 15;

    @AttributeDefinition(name = "Profile call timeout (ms)", min = "100", max = "600000",
            description = "How long to wait for the answer to a SetChargingProfile; it is not sent again after a"
                    + " timeout: the newest limit goes out instead.")
    int profileCallTimeoutMillis() default 10000;

    @AttributeDefinition(name = "Maximum message size (bytes)", min = "1024", max = "16777216",
            description = "Largest WebSocket frame or message (all its fragments) taken from a charger; a larger one"
                    + " closes the connection with code 1009. OCPP 1.6J messages are a few kB.")
    int maxMessageBytes() default 65536;

    @AttributeDefinition(name = "Messages per second", min = "1", max = "100000",
            description = "Calls a charger may send per second on average (bursts of 10 times this are taken);"
                    + " calls above it are answered with a CALLERROR and not handled.")
    int maxMessagesPerSecond() default 20;

    @AttributeDefinition(name = "Limit step (A)", min = "0.1", max = "8",
            description = "Limits are rounded DOWN to a multiple of this before they are sent; a limit that moves by"
                    + " less than a step is not sent again.")
    double limitStepAmps() default 0.5;

    @AttributeDefinition(name = "Limit increase interval (s)", min = "0", max = "3600",
            description = "At most one increase of a connector's limit per this interval; decreases go out at once.")
    int limitIncreaseIntervalSeconds() default 10;

    @AttributeDefinition(name = "Profile validity (s)", min = "0", max = "86400",
            description = "Profiles carry a duration and validTo this far ahead and are renewed when two thirds of it"
                    + " have passed, so a charger whose gateway died falls back to its own limits. 0: profiles never end.")
    int profileValiditySeconds() default 900;

    @AttributeDefinition(name = "Configure chargers",
            description = "After a BootNotification: GetConfiguration, then ChangeConfiguration of MeterValuesSampledData"
                    + " and MeterValueSampleInterval where the charger allows, and TriggerMessage StatusNotification and"
                    + " MeterValues. What a charger refuses is shown in health.")
    boolean configureChargers() default true;

    @AttributeDefinition(name = "Meter values sampled", description = "MeterValuesSampledData asked for, in order of need"
            + " (cut from the end when the charger's MeterValuesSampledDataMaxLength is shorter).")
    String meterValuesSampledData() default "Current.Import,Power.Active.Import,Energy.Active.Import.Register,SoC";

    @AttributeDefinition(name = "Meter value sample interval (s)", min = "0", max = "3600",
            description = "MeterValueSampleInterval asked for; 0 leaves the charger's own.")
    int meterValueSampleIntervalSeconds() default 10;

    @AttributeDefinition(name = "Free login failures", min = "1", max = "1000",
            description = "Failed logins per charge point id or remote address before each further attempt is refused"
                    + " for a delay that doubles with every failure (up to 5 minutes).")
    int authFailuresBeforeDelay() default 5;

    @AttributeDefinition(name = "TLS", description = "Serve wss:// with the key store below.")
    boolean tlsEnabled() default false;

    @AttributeDefinition(name = "Key store", required = false, description = "Path of a PKCS12 key store holding the server key and certificate.")
    String tlsKeystorePath() default "";

    @AttributeDefinition(name = "Key store password", type = AttributeType.PASSWORD, required = false)
    String tlsKeystorePassword() default "";

    @AttributeDefinition(name = "Connectors per charge point", min = "1", max = "32")
    int defaultConnectors() default 1;

    @AttributeDefinition(name = "Connector rating (A)", min = "1", max = "1000", description = "Per phase.")
    double defaultMaxCurrent() default 32;

    @AttributeDefinition(name = "Connector phases", options = {
            @Option(label = "3", value = "3"), @Option(label = "1 (L1)", value = "1"), @Option(label = "L1", value = "L1"),
            @Option(label = "L2", value = "L2"), @Option(label = "L3", value = "L3") })
    String defaultPhases() default "3";

    @AttributeDefinition(name = "Minimum current (A)", min = "0", description = "Lowest current an EV charges at (6 A for AC).")
    double minCurrent() default 6;

    @AttributeDefinition(name = "Failsafe current (A)", min = "0",
            description = "What a charger draws on its own when it loses this controller.")
    double failsafeCurrent() default 6;

    @AttributeDefinition(name = "Charging rate unit", options = { @Option(label = "A", value = "A"), @Option(label = "W", value = "W") },
            description = "Unit of the charging profiles sent for current limits; W is computed at the nominal voltage.")
    String chargingRateUnit() default "A";

    @AttributeDefinition(name = "Nominal voltage (V)", min = "100", max = "400", description = "Phase to neutral, for W profiles.")
    double nominalVoltage() default 230;

    @AttributeDefinition(name = "Profile stack level", min = "0", max = "100",
            description = "Stack level of the profiles that carry the current limits.")
    int profileStackLevel() default 1;

    @AttributeDefinition(name = "Local id tags", required = false,
            description = "Local authorisation list, comma separated: TAG (Accepted) or TAG=Blocked|Expired|Invalid.")
    String[] idTags() default {};

    @AttributeDefinition(name = "Accept any id tag", description = "Accept tags neither the local list nor an Authorizer knows.")
    boolean acceptAnyIdTag() default false;
}

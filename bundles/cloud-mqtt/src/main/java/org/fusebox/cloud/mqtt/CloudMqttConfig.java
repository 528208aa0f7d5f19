package org.fusebox.cloud.mqtt;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox MQTT cloud link",
        description = "Store-and-forward link to an MQTT broker: telemetry, events, remote requests. PID fusebox.cloud.mqtt.")
public @interface CloudMqttConfig {

    @AttributeDefinition(name = "Broker URL",
            description = "ssl://host:port (TLS, the default; trust store below, or the JVM's CAs) or tcp://host:port (plaintext: "
                    + "works, but health stays DEGRADED with a warning and the log says so at every (re)configuration).")
    String brokerUrl() default "ssl://localhost:8883";

    @AttributeDefinition(name = "Client id",
            description = "MQTT client id, also {clientId} in the namespace; empty uses the host name. No '/', '+', '#'.")
    String clientId() default "";

    @AttributeDefinition(name = "Account", description = "{account} in the namespace (Kura/Kapua layout), e.g. the tenant.")
    String account() default "";

    @AttributeDefinition(name = "Namespace",
            description = "Topic prefix of everything this gateway sends and receives; {clientId} and {account} are replaced. "
                    + "Kura/Kapua layout: $EDC/{account}/{clientId}.")
    String namespace() default "fusebox/{clientId}";

    @AttributeDefinition(name = "User name", description = "Empty for none.")
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, description = "Never logged.")
    String password() default "";

    @AttributeDefinition(name = "Trust store", description = "PKCS12 or JKS file of the CAs to trust (ssl://); empty uses the JVM's.")
    String trustStorePath() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD)
    String trustStorePassword() default "";

    @AttributeDefinition(name = "Key store", description = "PKCS12 file with the client certificate and key (ssl://); empty for none.")
    String keyStorePath() default "";

    @AttributeDefinition(name = "Key store password", type = AttributeType.PASSWORD)
    String keyStorePassword() default "";

    @AttributeDefinition(name = "Keep-alive (s)", min = "1", max = "65535")
    int keepAliveSeconds() default 30;

    @AttributeDefinition(name = "Reconnect delay, first (s)", min = "1",
            description = "Wait after a lost connection or failed attempt; doubles up to the maximum.")
    int reconnectMinSeconds() default 1;

    @AttributeDefinition(name = "Reconnect delay, maximum (s)", min = "1")
    int reconnectMaxSeconds() default 60;

    @AttributeDefinition(name = "Telemetry period (s)", min = "0", description = "Site snapshot on telemetry/site; 0 turns it off.")
    int telemetryPeriodSeconds() default 10;

    @AttributeDefinition(name = "Events not forwarded",
            description = "EventAdmin topics under fusebox/ not sent to the cloud; a trailing * matches a prefix.")
    String[] eventTopicsExcluded() default { "fusebox/control/CYCLE_COMPLETED" };

    @AttributeDefinition(name = "Store file", description = "MVStore file of the outgoing queue; empty: ${karaf.data}/fusebox/cloud-mqtt/outbox.mv.db.")
    String storePath() default "";

    @AttributeDefinition(name = "Store capacity (messages)", min = "1")
    int storeMaxMessages() default 100000;

    @AttributeDefinition(name = "Store capacity (bytes)", min = "1024")
    long storeMaxBytes() default 67108864L;

    @AttributeDefinition(name = "Maximum age (hours)", min = "0",
            description = "TELEMETRY and EVENT older than this are dropped unsent; 0 keeps them until capacity needs the room.")
    int storeMaxAgeHours() default 168;

    @AttributeDefinition(name = "Messages in flight", min = "1", max = "1000",
            description = "Messages sent but not yet acknowledged at once; order on the wire is kept.")
    int maxInflight() default 20;
}

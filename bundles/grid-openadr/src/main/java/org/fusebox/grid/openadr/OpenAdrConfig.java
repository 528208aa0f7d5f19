package org.fusebox.grid.openadr;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fusebox OpenADR 3 VEN",
        description = "Polls an OpenADR 3.0.1 VTN for events and tells the site what the grid asks: import/export "
                + "capacity limits, prices, load-shed levels and alerts. PID fusebox.grid.openadr.")
public @interface OpenAdrConfig {

    @AttributeDefinition(name = "VTN URL",
            description = "Base URL of the VTN's OpenADR 3 API, e.g. https://vtn.example.com/openadr3/3.0.1 "
                    + "(http only for a loopback host, or with 'Allow plain HTTP').")
    String vtnUrl();

    @AttributeDefinition(name = "Token URL", required = false,
            description = "OAuth2 token endpoint (client credentials). Empty: <VTN URL>/auth/token.")
    String tokenUrl() default "";

    @AttributeDefinition(name = "Client id", description = "OAuth2 client id of this VEN.")
    String clientId();

    @AttributeDefinition(name = "Client secret", type = AttributeType.PASSWORD,
            description = "OAuth2 client secret. Reference a secret: $[secret:openadr.secret] "
                    + "(file etc/secrets/openadr.secret). Never logged, never shown in health.")
    String clientSecret();

    @AttributeDefinition(name = "Scope", required = false, description = "OAuth2 scope to ask for; empty: none.")
    String scope() default "";

    @AttributeDefinition(name = "Client authentication", options = {
            @Option(value = "BODY", label = "client_id and client_secret in the form body (OpenADR 3.0.1)"),
            @Option(value = "BASIC", label = "HTTP Basic (RFC 6749 2.3.1)") },
            description = "How the credentials are sent to the token endpoint.")
    String clientAuthentication() default "BODY";

    @AttributeDefinition(name = "VEN name",
            description = "venName of this VEN at the VTN (1-128 characters); it is looked up and created when missing.")
    String venName();

    @AttributeDefinition(name = "Resource names", required = false, cardinality = 100,
            description = "Resources registered under the VEN when missing (resourceName, 1-128 characters each). Empty: none.")
    String[] resourceNames() default {};

    @AttributeDefinition(name = "Program ids", required = false, cardinality = 50,
            description = "programIDs whose events are followed. Empty: the events of every program the VTN shows this VEN.")
    String[] programIds() default {};

    @AttributeDefinition(name = "Poll interval (seconds)", min = "10", max = "3600",
            description = "Time between two polls of programs and events.")
    int pollIntervalSeconds() default 60;

    @AttributeDefinition(name = "Failed polls before DOWN", min = "1", max = "100",
            description = "Health is DEGRADED after a failed poll and DOWN after this many in a row.")
    int failuresBeforeDown() default 3;

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1", max = "120")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Request timeout (seconds)", min = "1", max = "300",
            description = "Longest wait for one whole response.")
    int requestTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Allow plain HTTP", description = "Allow http:// to a host that is not loopback "
            + "(the client secret and the token then cross the network unencrypted).")
    boolean allowPlainHttp() default false;
}

package org.fusebox.cloud.mqtt;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A validated cloud link configuration. Built whole or refused with every reason; the passwords are
 * not part of {@link #toString()}.
 */
final class LinkSettings {

    private static final Pattern CLIENT_ID = Pattern.compile("[^/+#\\s]{1,128}");
    private static final Pattern ACCOUNT = Pattern.compile("[^/+#\\s]{1,128}");

    final String brokerUrl;
    final String clientId;
    final String account;
    final String namespace;
    final String username;
    final char[] password;
    /** null for tcp:// or when the JVM defaults are enough */
    final SSLSocketFactory socketFactory;
    final String trustStorePath;
    final String keyStorePath;
    final Duration keepAlive;
    final Duration reconnectMin;
    final Duration reconnectMax;
    final Duration telemetryPeriod;
    final List<String> eventTopicsExcluded;
    final Path storePath;
    final MessageStore.Limits storeLimits;
    final int maxInflight;
    /** tcp://: nothing on the link is encrypted */
    final boolean plaintext;

    private LinkSettings(Builder b) {
        brokerUrl = b.brokerUrl;
        clientId = b.clientId;
        account = b.account;
        namespace = b.namespace;
        username = b.username;
        password = b.password;
        socketFactory = b.socketFactory;
        trustStorePath = b.trustStorePath;
        keyStorePath = b.keyStorePath;
        keepAlive = b.keepAlive;
        reconnectMin = b.reconnectMin;
        reconnectMax = b.reconnectMax;
        telemetryPeriod = b.telemetryPeriod;
        eventTopicsExcluded = b.eventTopicsExcluded;
        storePath = b.storePath;
        storeLimits = b.storeLimits;
        maxInflight = b.maxInflight;
        plaintext = b.socketFactory == null && brokerUrl.toLowerCase(Locale.ROOT).startsWith("tcp:");
    }

    /** The health and log warning of a plaintext link, or null for TLS. */
    String plaintextWarning() {
        return plaintext ? "brokerUrl " + brokerUrl + " is plaintext: telemetry, remote requests and the broker password cross "
                + "the network unencrypted and can be read or changed on the way; use ssl:// (TLS)" : null;
    }

    private static final class Builder {
        String brokerUrl;
        String clientId;
        String account;
        String namespace;
        String username;
        char[] password;
        SSLSocketFactory socketFactory;
        String trustStorePath;
        String keyStorePath;
        Duration keepAlive;
        Duration reconnectMin;
        Duration reconnectMax;
        Duration telemetryPeriod;
        List<String> eventTopicsExcluded;
        Path storePath;
        MessageStore.Limits storeLimits;
        int maxInflight;
    }

    /**
     * @param dataDir where the store goes when no path is configured: {@code karaf.data}, or a temporary
     *                directory outside Karaf
     * @throws IllegalArgumentException naming every bad value
     */
    static LinkSettings from(CloudMqttConfig c, Path dataDir) {
        List<String> errors = new ArrayList<>();
        Builder b = new Builder();

        b.brokerUrl = trim(c.brokerUrl());
        boolean ssl = false;
        try {
            URI uri = new URI(b.brokerUrl);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            ssl = scheme.equals("ssl");
            if (!ssl && !scheme.equals("tcp")) {
                errors.add("brokerUrl '" + b.brokerUrl + "' must start with tcp:// or ssl://");
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                errors.add("brokerUrl '" + b.brokerUrl + "' has no host");
            } else if (uri.getPort() > 65535) {
                errors.add("brokerUrl '" + b.brokerUrl + "' has a bad port");
            }
        } catch (URISyntaxException e) {
            errors.add("brokerUrl '" + b.brokerUrl + "' is not a URL: " + e.getReason());
        }

        String id = trim(c.clientId());
        if (id.isEmpty()) {
            id = hostName();
        }
        b.clientId = id;
        if (!CLIENT_ID.matcher(id).matches()) {
            errors.add("clientId '" + id + "' must be 1 to 128 characters without '/', '+', '#' or spaces");
        }
        b.account = trim(c.account());
        String template = trim(c.namespace());
        if (template.contains("{account}") && !ACCOUNT.matcher(b.account).matches()) {
            errors.add("account must be set (1 to 128 characters without '/', '+', '#' or spaces) when the namespace uses {account}");
        }
        b.namespace = template.replace("{clientId}", id).replace("{account}", b.account);
        String nsError = namespaceError(template, b.namespace);
        if (nsError != null) {
            errors.add(nsError);
        }

        b.username = trim(c.username());
        b.password = c.password() == null ? new char[0] : c.password().toCharArray();

        b.trustStorePath = trim(c.trustStorePath());
        b.keyStorePath = trim(c.keyStorePath());
        if (!ssl && (!b.trustStorePath.isEmpty() || !b.keyStorePath.isEmpty())) {
            errors.add("trustStorePath and keyStorePath need an ssl:// brokerUrl");
        }
        if (ssl) {
            b.socketFactory = tls(b.trustStorePath, c.trustStorePassword(), b.keyStorePath, c.keyStorePassword(), errors);
        }

        if (c.keepAliveSeconds() < 1 || c.keepAliveSeconds() > 65535) {
            errors.add("keepAliveSeconds must be within 1..65535, got " + c.keepAliveSeconds());
        }
        b.keepAlive = Duration.ofSeconds(c.keepAliveSeconds());
        if (c.reconnectMinSeconds() < 1) {
            errors.add("reconnectMinSeconds must be at least 1, got " + c.reconnectMinSeconds());
        }
        if (c.reconnectMaxSeconds() < c.reconnectMinSeconds()) {
            errors.add("reconnectMaxSeconds (" + c.reconnectMaxSeconds() + ") must not be below reconnectMinSeconds ("
                    + c.reconnectMinSeconds() + ")");
        }
        b.reconnectMin = Duration.ofSeconds(Math.max(1, c.reconnectMinSeconds()));
        b.reconnectMax = Duration.ofSeconds(Math.max(1, c.reconnectMaxSeconds()));
        if (c.telemetryPeriodSeconds() < 0) {
            errors.add("telemetryPeriodSeconds must be 0 (off) or more, got " + c.telemetryPeriodSeconds());
        }
        b.telemetryPeriod = Duration.ofSeconds(Math.max(0, c.telemetryPeriodSeconds()));

        List<String> excluded = new ArrayList<>();
        for (String t : c.eventTopicsExcluded() == null ? new String[0] : c.eventTopicsExcluded()) {
            String s = trim(t);
            if (!s.isEmpty()) {
                excluded.add(s);
            }
        }
        b.eventTopicsExcluded = List.copyOf(excluded);

        String store = trim(c.storePath());
        try {
            b.storePath = store.isEmpty() ? dataDir.resolve("fusebox").resolve("cloud-mqtt").resolve("outbox.mv.db")
                    : Path.of(store).toAbsolutePath().normalize();
            if (Files.isDirectory(b.storePath)) {
                errors.add("storePath " + b.storePath + " is a directory; name the file");
            }
        } catch (InvalidPathException e) {
            errors.add("storePath '" + store + "' is not a valid path: " + e.getMessage());
        }
        if (c.storeMaxMessages() < 1) {
            errors.add("storeMaxMessages must be at least 1, got " + c.storeMaxMessages());
        }
        if (c.storeMaxBytes() < 1024) {
            errors.add("storeMaxBytes must be at least 1024, got " + c.storeMaxBytes());
        }
        if (c.storeMaxAgeHours() < 0) {
            errors.add("storeMaxAgeHours must be 0 (no limit) or more, got " + c.storeMaxAgeHours());
        }
        if (c.maxInflight() < 1 || c.maxInflight() > 1000) {
            errors.add("maxInflight must be within 1..1000, got " + c.maxInflight());
        }
        b.maxInflight = c.maxInflight();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        b.storeLimits = new MessageStore.Limits(c.storeMaxMessages(), c.storeMaxBytes(),
                Duration.ofHours(c.storeMaxAgeHours()));
        return new LinkSettings(b);
    }

    private static String namespaceError(String template, String resolved) {
        if (template.isEmpty()) {
            return "namespace must be set, e.g. fusebox/{clientId}";
        }
        if (resolved.contains("{") || resolved.contains("}")) {
            return "namespace '" + template + "' has an unknown placeholder; only {clientId} and {account} are known";
        }
        if (resolved.contains("+") || resolved.contains("#")) {
            return "namespace '" + template + "' must not contain MQTT wildcards";
        }
        if (resolved.startsWith("/") || resolved.endsWith("/") || resolved.contains("//")) {
            return "namespace '" + template + "' must not have empty levels (leading, trailing or double '/')";
        }
        return null;
    }

    private static SSLSocketFactory tls(String trustPath, String trustPassword, String keyPath, String keyPassword,
            List<String> errors) {
        try {
            TrustManagerFactory tmf = null;
            if (!trustPath.isEmpty()) {
                KeyStore trust = load(trustPath, trustPassword, "trustStorePath", errors);
                if (trust == null) {
                    return null;
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (!keyPath.isEmpty()) {
                KeyStore keys = load(keyPath, keyPassword, "keyStorePath", errors);
                if (keys == null) {
                    return null;
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, chars(keyPassword));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (Exception e) {
            errors.add("TLS setup failed: " + e.getMessage());
            return null;
        }
    }

    /** Reads PKCS12, or JKS when the file says so; a wrong password is reported without the password. */
    private static KeyStore load(String path, String password, String key, List<String> errors) {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            errors.add(key + " '" + path + "' is not a valid path");
            return null;
        }
        if (!Files.isReadable(p)) {
            errors.add(key + " " + p + " cannot be read");
            return null;
        }
        Exception last = null;
        for (String type : List.of("PKCS12", "JKS")) {
            try (InputStream in = Files.newInputStream(p)) {
                KeyStore ks = KeyStore.getInstance(type);
                ks.load(in, chars(password));
                return ks;
            } catch (Exception e) {
                last = e;
            }
        }
        errors.add(key + " " + p + " is not a PKCS12 or JKS store this password opens (" + last.getMessage() + ")");
        return null;
    }

    private static char[] chars(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.replaceAll("[/+#\\s]", "-");
        } catch (Exception e) {
            return "fusebox";
        }
    }

    @Override
    public String toString() {
        return "brokerUrl=" + brokerUrl + ", clientId=" + clientId + ", namespace=" + namespace + ", username="
                + (username.isEmpty() ? "(none)" : username) + ", password=" + (password.length == 0 ? "(none)" : "****")
                + ", trustStore=" + (trustStorePath.isEmpty() ? "(jvm)" : trustStorePath) + ", keyStore="
                + (keyStorePath.isEmpty() ? "(none)" : keyStorePath) + ", keepAlive=" + keepAlive + ", reconnect="
                + reconnectMin + ".." + reconnectMax + ", telemetry=" + telemetryPeriod + ", excluded="
                + eventTopicsExcluded + ", store=" + storePath + ", limits=" + storeLimits + ", maxInflight=" + maxInflight;
    }
}

package org.fusebox.grid.openadr;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A checked configuration, built whole or refused with every reason at once. {@link #toString()} never shows
 * the client secret.
 */
record OpenAdrSettings(URI vtnUrl, URI tokenUrl, String clientId, String clientSecret, String scope, boolean basicAuth,
        String venName, List<String> resourceNames, List<String> programIds, Duration pollInterval, int failuresBeforeDown,
        Duration connectTimeout, Duration requestTimeout) {

    static final int MIN_POLL_SECONDS = 10;
    static final int MAX_POLL_SECONDS = 3600;
    private static final Pattern OBJECT_ID = Pattern.compile("[a-zA-Z0-9_-]{1,128}");

    OpenAdrSettings {
        resourceNames = List.copyOf(resourceNames);
        programIds = List.copyOf(programIds);
    }

    /** The GridSignalSource id. */
    String sourceId() {
        return "openadr:" + venName;
    }

    static OpenAdrSettings from(OpenAdrConfig c) {
        List<String> reasons = new ArrayList<>();
        boolean plain = c.allowPlainHttp();
        URI vtn = url("vtnUrl", c.vtnUrl(), plain, reasons);
        String tokenText = c.tokenUrl() == null ? "" : c.tokenUrl().trim();
        URI token = tokenText.isEmpty() ? (vtn == null ? null : URI.create(vtn + "/auth/token"))
                : url("tokenUrl", tokenText, plain, reasons);
        String clientId = c.clientId() == null ? "" : c.clientId().trim();
        if (clientId.isEmpty() || clientId.length() > 4096) {
            reasons.add("clientId must be 1 to 4096 characters");
        }
        String secret = c.clientSecret() == null ? "" : c.clientSecret();
        if (secret.isEmpty() || secret.length() > 4096) {
            reasons.add("clientSecret must be 1 to 4096 characters");
        } else if (secret.startsWith("$[")) {
            reasons.add("clientSecret is an unresolved secret reference (is the file under etc/secrets missing?)");
        }
        String scope = c.scope() == null ? "" : c.scope().trim();
        String auth = c.clientAuthentication() == null ? "" : c.clientAuthentication().trim();
        if (!auth.equals("BODY") && !auth.equals("BASIC")) {
            reasons.add("clientAuthentication must be BODY or BASIC, got '" + EventMapper.abbreviated(auth) + "'");
        }
        String venName = name("venName", c.venName(), reasons);
        List<String> resources = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String r : c.resourceNames() == null ? new String[0] : c.resourceNames()) {
            String n = name("resourceNames", r, reasons);
            if (n != null && !seen.add(n)) {
                reasons.add("resourceNames lists '" + n + "' twice");
            }
            resources.add(n);
        }
        List<String> programs = new ArrayList<>();
        for (String p : c.programIds() == null ? new String[0] : c.programIds()) {
            String id = p == null ? "" : p.trim();
            if (!OBJECT_ID.matcher(id).matches()) {
                reasons.add("programIds: '" + EventMapper.abbreviated(id) + "' is not an objectID (letters, digits, '_', '-', 1-128)");
            } else if (programs.contains(id)) {
                reasons.add("programIds lists '" + id + "' twice");
            } else {
                programs.add(id);
            }
        }
        range("pollIntervalSeconds", c.pollIntervalSeconds(), MIN_POLL_SECONDS, MAX_POLL_SECONDS, reasons);
        range("failuresBeforeDown", c.failuresBeforeDown(), 1, 100, reasons);
        range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 120, reasons);
        range("requestTimeoutSeconds", c.requestTimeoutSeconds(), 1, 300, reasons);
        if (!reasons.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", reasons));
        }
        return new OpenAdrSettings(vtn, token, clientId, secret, scope, auth.equals("BASIC"), venName, resources, programs,
                Duration.ofSeconds(c.pollIntervalSeconds()), c.failuresBeforeDown(), Duration.ofSeconds(c.connectTimeoutSeconds()),
                Duration.ofSeconds(c.requestTimeoutSeconds()));
    }

    private static URI url(String key, String value, boolean plainAllowed, List<String> reasons) {
        String v = value == null ? "" : value.trim();
        URI u;
        try {
            u = URI.create(v);
        } catch (IllegalArgumentException e) {
            reasons.add(key + " is not a URL: '" + EventMapper.abbreviated(v) + "'");
            return null;
        }
        if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                || u.getQuery() != null || u.getFragment() != null || u.getUserInfo() != null) {
            reasons.add(key + " must be an http(s) URL with a host and without user, query or fragment, got '"
                    + EventMapper.abbreviated(u.getHost() == null ? v : u.getScheme() + "://" + u.getHost()) + "'");
            return null;
        }
        if ("http".equals(u.getScheme()) && !plainAllowed && !isLoopback(u.getHost())) {
            reasons.add(key + " uses plain http to " + u.getHost() + ", which is not loopback: use https (or set allowPlainHttp)");
            return null;
        }
        String s = u.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // only literal addresses: a name is not resolved here
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String name(String key, String value, List<String> reasons) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || v.length() > 128 || v.chars().anyMatch(Character::isISOControl)) {
            reasons.add(key + " must be 1 to 128 characters without control characters, got '" + EventMapper.abbreviated(v) + "'");
            return null;
        }
        return v;
    }

    private static void range(String key, int value, int min, int max, List<String> reasons) {
        if (value < min || value > max) {
            reasons.add(key + " must be " + min + ".." + max + ", got " + value);
        }
    }

    @Override
    public String toString() {
        return "vtnUrl=" + vtnUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=***"
                + (scope.isEmpty() ? "" : ", scope=" + scope) + ", auth=" + (basicAuth ? "BASIC" : "BODY") + ", venName=" + venName
                + ", resources=" + resourceNames + ", programs=" + (programIds.isEmpty() ? "all" : programIds)
                + ", poll=" + pollInterval.toSeconds() + " s";
    }
}

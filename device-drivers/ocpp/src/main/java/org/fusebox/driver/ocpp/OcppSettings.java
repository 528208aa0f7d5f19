package org.fusebox.driver.ocpp;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fusebox.api.units.Phase;
import org.fusebox.driver.ocpp.api.IdTagStatus;
import org.fusebox.driver.ocpp.api.RateUnit;
import org.fusebox.driver.ocpp.server.OcppServer;

/**
 * A checked configuration. Built only through {@link #from}, which names every bad value. Its
 * {@link #toString()} never shows a password.
 */
public final class OcppSettings {

    public enum BootPolicy {
        Accepted, Pending, Rejected
    }

    final int port;
    final String bindHost;
    final Map<String, ChargePointSettings> chargePoints;
    final Map<String, String> passwords;
    final int securityProfile;
    final boolean autoRegistration;
    final String autoRegistrationPassword;
    final BootPolicy bootPolicy;
    final int heartbeatIntervalSeconds;
    final int callTimeoutMillis;
    final int callRetries;
    final int connectionLostTimeoutSeconds;
    final boolean tls;
    final Path keystore;
    final String keystorePassword;
    final ChargePointSettings defaults;
    final double nominalVoltage;
    final int stackLevel;
    final Map<String, IdTagStatus> idTags;
    final boolean acceptAnyIdTag;
    final int profileCallTimeoutMillis;
    final int maxMessageBytes;
    final int maxMessagesPerSecond;
    final double limitStepAmps;
    final int limitIncreaseIntervalSeconds;
    final int profileValiditySeconds;
    final boolean configureChargers;
    final List<String> meterValuesSampledData;
    final int meterValueSampleIntervalSeconds;
    final int authFailuresBeforeDelay;

    private OcppSettings(OcppConfig c, Map<String, ChargePointSettings> chargePoints, Map<String, String> passwords,
            BootPolicy bootPolicy, ChargePointSettings defaults, Map<String, IdTagStatus> idTags) {
        this.port = c.port();
        this.bindHost = c.bindHost().trim();
        this.chargePoints = Collections.unmodifiableMap(chargePoints);
        this.passwords = Collections.unmodifiableMap(passwords);
        this.securityProfile = c.securityProfile();
        this.autoRegistration = c.autoRegistration();
        this.autoRegistrationPassword = nullToEmpty(c.autoRegistrationPassword());
        this.bootPolicy = bootPolicy;
        this.heartbeatIntervalSeconds = c.heartbeatIntervalSeconds();
        this.callTimeoutMillis = c.callTimeoutMillis();
        this.callRetries = c.callRetries();
        this.connectionLostTimeoutSeconds = c.connectionLostTimeoutSeconds();
        this.tls = c.tlsEnabled();
        this.keystore = c.tlsEnabled() ? Path.of(c.tlsKeystorePath().trim()) : null;
        this.keystorePassword = nullToEmpty(c.tlsKeystorePassword());
        this.defaults = defaults;
        this.nominalVoltage = c.nominalVoltage();
        this.stackLevel = c.profileStackLevel();
        this.idTags = Collections.unmodifiableMap(idTags);
        this.acceptAnyIdTag = c.acceptAnyIdTag();
        this.profileCallTimeoutMillis = c.profileCallTimeoutMillis();
        this.maxMessageBytes = c.maxMessageBytes();
        this.maxMessagesPerSecond = c.maxMessagesPerSecond();
        this.limitStepAmps = c.limitStepAmps();
        this.limitIncreaseIntervalSeconds = c.limitIncreaseIntervalSeconds();
        this.profileValiditySeconds = c.profileValiditySeconds();
        this.configureChargers = c.configureChargers();
        this.meterValuesSampledData = List.copyOf(entries(new String[] {c.meterValuesSampledData()}));
        this.meterValueSampleIntervalSeconds = c.meterValueSampleIntervalSeconds();
        this.authFailuresBeforeDelay = c.authFailuresBeforeDelay();
    }

    /** Thrown with every reason a configuration is refused, joined by "; ". */
    public static final class InvalidConfigurationException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidConfigurationException(List<String> problems) {
            super(String.join("; ", problems));
        }
    }

    public static OcppSettings from(OcppConfig c) throws InvalidConfigurationException {
        List<String> problems = new ArrayList<>();
        if (c.port() < 0 || c.port() > 65535) {
            problems.add("port " + c.port() + " is outside 0..65535");
        }
        if (c.bindHost() == null || c.bindHost().isBlank()) {
            problems.add("bindHost is empty");
        }
        BootPolicy boot = null;
        try {
            boot = BootPolicy.valueOf(String.valueOf(c.bootPolicy()).trim());
        } catch (IllegalArgumentException e) {
            problems.add("bootPolicy '" + c.bootPolicy() + "' is not Accepted, Pending or Rejected");
        }
        range(problems, "heartbeatIntervalSeconds", c.heartbeatIntervalSeconds(), 1, 86_400);
        range(problems, "callTimeoutMillis", c.callTimeoutMillis(), 100, 600_000);
        range(problems, "callRetries", c.callRetries(), 0, 5);
        range(problems, "connectionLostTimeoutSeconds", c.connectionLostTimeoutSeconds(), 0, 3600);
        range(problems, "securityProfile", c.securityProfile(), 0, 2);
        range(problems, "profileCallTimeoutMillis", c.profileCallTimeoutMillis(), 100, 600_000);
        range(problems, "maxMessageBytes", c.maxMessageBytes(), 1024, 16 * 1024 * 1024);
        range(problems, "maxMessagesPerSecond", c.maxMessagesPerSecond(), 1, 100_000);
        if (!(c.limitStepAmps() >= 0.1 && c.limitStepAmps() <= 8)) {
            problems.add("limitStepAmps " + c.limitStepAmps() + " is outside 0.1..8");
        }
        range(problems, "limitIncreaseIntervalSeconds", c.limitIncreaseIntervalSeconds(), 0, 3600);
        if (c.profileValiditySeconds() != 0) {
            range(problems, "profileValiditySeconds", c.profileValiditySeconds(), 60, 86_400);
        }
        range(problems, "meterValueSampleIntervalSeconds", c.meterValueSampleIntervalSeconds(), 0, 3600);
        range(problems, "authFailuresBeforeDelay", c.authFailuresBeforeDelay(), 1, 1000);
        if (c.meterValuesSampledData() == null || c.meterValuesSampledData().length() > 500) {
            problems.add("meterValuesSampledData must be at most 500 characters");
        }
        range(problems, "profileStackLevel", c.profileStackLevel(), 0, 100);
        range(problems, "defaultConnectors", c.defaultConnectors(), 1, 32);
        if (!(c.nominalVoltage() >= 100 && c.nominalVoltage() <= 400)) {
            problems.add("nominalVoltage " + c.nominalVoltage() + " is outside 100..400");
        }
        RateUnit unit = parseUnit(c.chargingRateUnit(), "chargingRateUnit", problems);
        List<Phase> phases = parsePhases(c.defaultPhases(), "defaultPhases", problems);
        ChargePointSettings defaults = checkCurrents("defaults", c.defaultConnectors(), c.defaultMaxCurrent(), c.minCurrent(),
                c.failsafeCurrent(), phases, unit, problems);

        Map<String, ChargePointSettings> cps = new LinkedHashMap<>();
        // every listed id, also those whose options are wrong, so that their passwords are still checked
        java.util.Set<String> listed = new java.util.LinkedHashSet<>();
        for (String entry : entries(c.chargePoints())) {
            int colon = entry.indexOf(':');
            listed.add((colon < 0 ? entry : entry.substring(0, colon)).trim());
            parseChargePoint(entry, c, defaults, cps, problems);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String entry : entries(c.passwords())) {
            int eq = entry.indexOf('=');
            String id = eq < 0 ? entry : entry.substring(0, eq).trim();
            if (eq <= 0 || eq == entry.length() - 1) {
                // never echo the entry: it may hold a password
                problems.add("a passwords entry for '" + (eq < 0 ? "?" : id) + "' must look like ID=password");
            } else if (!OcppServer.CHARGE_POINT_ID.matcher(id).matches()) {
                problems.add("passwords entry id '" + id + "' is not a valid charge point id");
            } else if (passwords.put(id, entry.substring(eq + 1)) != null) {
                problems.add("passwords names " + id + " twice");
            } else if (!listed.contains(id)) {
                problems.add("passwords names " + id + ", which is not in chargePoints");
            }
        }
        if (c.securityProfile() >= 1) {
            for (String id : listed) {
                if (OcppServer.CHARGE_POINT_ID.matcher(id).matches() && !passwords.containsKey(id)) {
                    problems.add("securityProfile " + c.securityProfile() + " needs a password for " + id);
                }
            }
            if (c.autoRegistration() && nullToEmpty(c.autoRegistrationPassword()).isEmpty()) {
                problems.add("securityProfile " + c.securityProfile() + " with autoRegistration needs autoRegistrationPassword");
            }
        }
        if (c.securityProfile() == 2 && !c.tlsEnabled()) {
            problems.add("securityProfile 2 needs tlsEnabled");
        }
        if (c.tlsEnabled()) {
            checkKeystore(c, problems);
        }
        Map<String, IdTagStatus> tags = new LinkedHashMap<>();
        for (String entry : entries(c.idTags())) {
            String[] kv = entry.split("=", 2);
            String tag = kv[0].trim();
            if (tag.isEmpty() || tag.length() > 20) {
                problems.add("idTags entry '" + entry + "' needs a tag of 1 to 20 characters");
                continue;
            }
            IdTagStatus st = IdTagStatus.Accepted;
            if (kv.length == 2) {
                try {
                    st = IdTagStatus.valueOf(kv[1].trim());
                } catch (IllegalArgumentException e) {
                    problems.add("idTags status for " + tag + " '" + kv[1].trim() + "' is not one of " + List.of(IdTagStatus.values()));
                    continue;
                }
            }
            if (tags.put(tag.toUpperCase(Locale.ROOT), st) != null) {
                problems.add("idTags names " + tag + " twice (tags compare case-insensitively)");
            }
        }
        if (!problems.isEmpty() || defaults == null) {
            throw new InvalidConfigurationException(problems);
        }
        return new OcppSettings(c, cps, passwords, boot, defaults, tags);
    }

    private static void parseChargePoint(String entry, OcppConfig c, ChargePointSettings defaults,
            Map<String, ChargePointSettings> cps, List<String> problems) {
        int colon = entry.indexOf(':');
        String id = (colon < 0 ? entry : entry.substring(0, colon)).trim();
        if (!OcppServer.CHARGE_POINT_ID.matcher(id).matches()) {
            problems.add("chargePoints id '" + id + "' must be 1 to 48 of A-Z a-z 0-9 * - _ + @ .");
            return;
        }
        int connectors = c.defaultConnectors();
        double max = c.defaultMaxCurrent();
        double min = c.minCurrent();
        double failsafe = c.failsafeCurrent();
        String phaseText = c.defaultPhases();
        String unitText = c.chargingRateUnit();
        if (colon >= 0) {
            for (String opt : entry.substring(colon + 1).split(";")) {
                if (opt.isBlank()) {
                    continue;
                }
                String[] kv = opt.split("=", 2);
                String key = kv[0].trim();
                String value = kv.length == 2 ? kv[1].trim() : "";
                try {
                    switch (key) {
                        case "connectors" -> connectors = Integer.parseInt(value);
                        case "maxCurrent" -> max = Double.parseDouble(value);
                        case "minCurrent" -> min = Double.parseDouble(value);
                        case "failsafeCurrent" -> failsafe = Double.parseDouble(value);
                        case "phases" -> phaseText = value;
                        case "unit" -> unitText = value;
                        default -> problems.add("chargePoints " + id + ": unknown option '" + key + "'");
                    }
                } catch (NumberFormatException e) {
                    problems.add("chargePoints " + id + ": " + key + " '" + value + "' is not a number");
                }
            }
        }
        if (connectors < 1 || connectors > 32) {
            problems.add("chargePoints " + id + ": connectors " + connectors + " is outside 1..32");
        }
        RateUnit unit = parseUnit(unitText, "chargePoints " + id + ": unit", problems);
        List<Phase> phases = parsePhases(phaseText, "chargePoints " + id + ": phases", problems);
        ChargePointSettings s = checkCurrents("chargePoints " + id, Math.max(1, Math.min(32, connectors)), max, min, failsafe,
                phases, unit, problems);
        if (cps.containsKey(id)) {
            problems.add("chargePoints names " + id + " twice");
        } else if (s != null) {
            cps.put(id, s);
        }
    }

    private static ChargePointSettings checkCurrents(String what, int connectors, double max, double min, double failsafe,
            List<Phase> phases, RateUnit unit, List<String> problems) {
        boolean ok = true;
        if (!(max >= 1 && max <= 1000)) {
            problems.add(what + ": maxCurrent " + max + " is outside 1..1000 A");
            ok = false;
        }
        if (!(min >= 0 && min <= max)) {
            problems.add(what + ": minCurrent " + min + " must be within 0..maxCurrent");
            ok = false;
        }
        if (!(failsafe >= 0 && failsafe <= max)) {
            problems.add(what + ": failsafeCurrent " + failsafe + " must be within 0..maxCurrent");
            ok = false;
        }
        return ok && phases != null && unit != null ? new ChargePointSettings(connectors, max, min, failsafe, phases, unit) : null;
    }

    private static RateUnit parseUnit(String text, String what, List<String> problems) {
        try {
            return RateUnit.valueOf(String.valueOf(text).trim());
        } catch (IllegalArgumentException e) {
            problems.add(what + " '" + text + "' is not A or W");
            return null;
        }
    }

    private static List<Phase> parsePhases(String text, String what, List<String> problems) {
        String t = String.valueOf(text).trim().toUpperCase(Locale.ROOT);
        switch (t) {
            case "3":
                return List.of(Phase.L1, Phase.L2, Phase.L3);
            case "1":
            case "L1":
                return List.of(Phase.L1);
            case "L2":
                return List.of(Phase.L2);
            case "L3":
                return List.of(Phase.L3);
            default:
                problems.add(what + " '" + text + "' is not 3, 1, L1, L2 or L3");
                return null;
        }
    }

    private static void checkKeystore(OcppConfig c, List<String> problems) {
        String path = nullToEmpty(c.tlsKeystorePath()).trim();
        if (path.isEmpty()) {
            problems.add("tlsEnabled needs tlsKeystorePath");
            return;
        }
        Path p = Path.of(path);
        if (!Files.isReadable(p)) {
            problems.add("tlsKeystorePath " + path + " cannot be read");
            return;
        }
        try (InputStream in = Files.newInputStream(p)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            char[] pw = nullToEmpty(c.tlsKeystorePassword()).toCharArray();
            ks.load(in, pw);
            boolean hasKey = false;
            for (String alias : Collections.list(ks.aliases())) {
                hasKey |= ks.isKeyEntry(alias);
            }
            if (!hasKey) {
                problems.add("tlsKeystorePath " + path + " holds no private key");
            }
        } catch (Exception e) {
            // the message of a wrong password names no secret
            problems.add("tlsKeystorePath " + path + " cannot be opened as PKCS12 with the given password: " + e.getMessage());
        }
    }

    private static void range(List<String> problems, String name, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(name + " " + value + " is outside " + min + ".." + max);
        }
    }

    /** Splits list entries that hold several comma-separated items, as a .cfg file gives them. */
    static List<String> entries(String[] values) {
        List<String> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        for (String v : values) {
            if (v == null) {
                continue;
            }
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The settings for a charge point, or {@code null} when it is neither listed nor auto-registered. */
    ChargePointSettings chargePoint(String id) {
        ChargePointSettings s = chargePoints.get(id);
        return s != null ? s : autoRegistration ? defaults : null;
    }

    /** The password a charge point must present, or {@code null} when it needs none. */
    String passwordFor(String id) {
        String p = passwords.get(id);
        if (p != null) {
            return p;
        }
        if (!chargePoints.containsKey(id) && autoRegistration && !autoRegistrationPassword.isEmpty()) {
            return autoRegistrationPassword;
        }
        return null;
    }

    /** Whether the server must be restarted to apply {@code next}. */
    boolean needsNewServer(OcppSettings next) {
        return port != next.port || !bindHost.equals(next.bindHost) || tls != next.tls
                || !java.util.Objects.equals(keystore, next.keystore) || !keystorePassword.equals(next.keystorePassword)
                || connectionLostTimeoutSeconds != next.connectionLostTimeoutSeconds || maxMessageBytes != next.maxMessageBytes;
    }

    @Override
    public String toString() {
        return "port " + port + " on " + bindHost + (tls ? " (wss)" : " (ws)") + ", security profile " + securityProfile
                + ", charge points " + chargePoints.keySet() + (autoRegistration ? " + auto-registration" : "")
                + ", " + passwords.size() + " password(s), boot " + bootPolicy + ", call timeout " + callTimeoutMillis
                + " ms x" + (callRetries + 1) + ", " + idTags.size() + " local id tag(s)";
    }
}

package org.fusebox.simulator;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.fusebox.simulator.model.SiteConfig;

/**
 * A validated simulator configuration. Built only from a configuration that passes every check, so the
 * simulator never runs on a half-valid one; a refusal names every wrong key, its value and what is allowed.
 *
 * @param speed     simulated seconds per real second
 * @param tick      real time between steps
 * @param startTime the configured simulated start, empty for "now"
 * @param site      the site to build; its start is a placeholder until {@link #siteStartingAt(Instant)}
 * @param modbus    which devices are served over Modbus TCP instead of in-process
 * @param ocpp      whether the chargers are OCPP charge points instead of in-process
 */
record SimulatorSettings(double speed, Duration tick, Optional<Instant> startTime, SiteConfig site,
        ModbusExposure modbus, OcppExposure ocpp) {

    static final double MIN_SPEED = 1;
    static final double MAX_SPEED = 3600;
    static final long MIN_TICK_MILLIS = 50;
    static final long MAX_TICK_MILLIS = 10_000;
    static final double MAX_FUSE_AMPS = 4000;
    static final int MAX_CHARGERS = 100;
    static final double MAX_CHARGER_AMPS = 80;
    static final long MAX_FAILSAFE_TIMEOUT_SECONDS = 3600;
    static final double MIN_ARRIVAL_MEAN_MINUTES = 0.1;
    /** The simulator's sun is set for central Europe. */
    static final double LATITUDE_DEGREES = 50;
    static final double NOMINAL_VOLTS = 230;

    private static final Instant START_PLACEHOLDER = Instant.EPOCH;

    SimulatorSettings {
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(modbus, "modbus");
        Objects.requireNonNull(ocpp, "ocpp");
    }

    SimulatorSettings(double speed, Duration tick, Optional<Instant> startTime, SiteConfig site) {
        this(speed, tick, startTime, site, ModbusExposure.NONE, OcppExposure.NONE);
    }

    /** The simulated time step each tick advances. */
    Duration simulatedStep() {
        return Duration.ofNanos(Math.round(tick.toNanos() * speed));
    }

    SiteConfig siteStartingAt(Instant start) {
        return site.toBuilder().start(start).build();
    }

    /** Whether {@code other} describes the same site, so only the pace of the simulation differs. */
    boolean sameSiteAs(SimulatorSettings other) {
        return site.equals(other.site) && startTime.equals(other.startTime) && modbus.equals(other.modbus)
                && ocpp.equals(other.ocpp);
    }

    /** Checks every value; throws with all refusals at once. */
    static SimulatorSettings from(SimulatorConfig c) {
        Checks checks = new Checks();
        checks.range("speed", c.speed(), MIN_SPEED, MAX_SPEED, "simulated seconds per real second");
        checks.range("tickMillis", c.tickMillis(), MIN_TICK_MILLIS, MAX_TICK_MILLIS, "real milliseconds between steps");
        ZoneId zone = checks.zone("timeZone", c.timeZone());
        Optional<Instant> start = checks.startTime("startTime", c.startTime(), zone);
        checks.range("fuseLimitAmps", c.fuseLimitAmps(), 1, MAX_FUSE_AMPS, "amps per phase");
        checks.notNegative("baseLoadKw", c.baseLoadKw());
        checks.notNegative("pvPeakKw", c.pvPeakKw());
        checks.notNegative("batteryCapacityKwh", c.batteryCapacityKwh());
        if (c.batteryCapacityKwh() > 0) {
            checks.positiveWithBattery("batteryMaxChargeKw", c.batteryMaxChargeKw());
            checks.positiveWithBattery("batteryMaxDischargeKw", c.batteryMaxDischargeKw());
        } else {
            checks.notNegative("batteryMaxChargeKw", c.batteryMaxChargeKw());
            checks.notNegative("batteryMaxDischargeKw", c.batteryMaxDischargeKw());
        }
        checks.range("batteryEfficiencyPercent", c.batteryEfficiencyPercent(), 1, 100, "percent");
        checks.range("batteryInitialSocPercent", c.batteryInitialSocPercent(), 0, 100, "percent");
        checks.range("chargers", c.chargers(), 0, MAX_CHARGERS, "chargers");
        checks.require(c.chargerPhases() == 1 || c.chargerPhases() == 3,
                "chargerPhases=" + c.chargerPhases() + " refused: allowed 1 or 3");
        checks.range("chargerMaxAmps", c.chargerMaxAmps(), 1, MAX_CHARGER_AMPS, "amps per phase");
        checks.range("chargerMinAmps", c.chargerMinAmps(), 0, MAX_CHARGER_AMPS, "amps");
        if (Double.isFinite(c.chargerMinAmps()) && c.chargerMinAmps() > c.chargerMaxAmps()) {
            checks.fail("chargerMinAmps=" + fmt(c.chargerMinAmps()) + " refused: it must not exceed chargerMaxAmps="
                    + fmt(c.chargerMaxAmps()));
        }
        checks.range("chargerFailsafeAmps", c.chargerFailsafeAmps(), 0, MAX_CHARGER_AMPS, "amps");
        if (Double.isFinite(c.chargerFailsafeAmps()) && c.chargerFailsafeAmps() > c.chargerMaxAmps()) {
            checks.fail("chargerFailsafeAmps=" + fmt(c.chargerFailsafeAmps())
                    + " refused: it must not exceed chargerMaxAmps=" + fmt(c.chargerMaxAmps()));
        }
        checks.range("failsafeTimeoutSeconds", c.failsafeTimeoutSeconds(), 1, MAX_FAILSAFE_TIMEOUT_SECONDS, "real seconds");
        checks.range("evArrivalMeanMinutes", c.evArrivalMeanMinutes(), MIN_ARRIVAL_MEAN_MINUTES, Double.MAX_VALUE,
                "simulated minutes");
        ModbusExposure modbus = checks.modbus(c);
        OcppExposure ocpp = checks.ocpp(c);
        checks.throwIfAny();

        SiteConfig site;
        try {
            site = SiteConfig.builder()
                .start(start.orElse(START_PLACEHOLDER))
                .zone(zone)
                .seed(c.seed())
                .nominalVolts(NOMINAL_VOLTS)
                .latitudeDegrees(LATITUDE_DEGREES)
                .fuseLimitAmps(c.fuseLimitAmps())
                .baseLoadWatts(c.baseLoadKw() * 1000)
                .pvPeakWatts(c.pvPeakKw() * 1000)
                .batteryCapacityWattHours(c.batteryCapacityKwh() * 1000)
                .batteryMaxChargeWatts(c.batteryMaxChargeKw() * 1000)
                .batteryMaxDischargeWatts(c.batteryMaxDischargeKw() * 1000)
                .batteryRoundTripEfficiency(c.batteryEfficiencyPercent() / 100)
                .batteryInitialSocPercent(c.batteryInitialSocPercent())
                .chargers(c.chargers())
                .chargerPhases(c.chargerPhases())
                .chargerMinAmps(c.chargerMinAmps())
                .chargerMaxAmps(c.chargerMaxAmps())
                .chargerFailsafeAmps(c.chargerFailsafeAmps())
                .failsafeTimeout(Duration.ofSeconds(c.failsafeTimeoutSeconds()))
                .evArrivalMeanInterval(Duration.ofMillis(Math.round(c.evArrivalMeanMinutes() * 60_000)))
                .build();
        } catch (IllegalArgumentException e) {
            // the model's own guard; the checks above are meant to catch everything first
            throw new InvalidConfigurationException(List.of(e.getMessage()));
        }
        return new SimulatorSettings(c.speed(), Duration.ofMillis(c.tickMillis()), start, site, modbus, ocpp);
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Collects refusals, each naming the key, the value and what is allowed. */
    private static final class Checks {
        private final List<String> errors = new ArrayList<>();

        void require(boolean ok, String message) {
            if (!ok) {
                errors.add(message);
            }
        }

        void fail(String message) {
            errors.add(message);
        }

        /** {@code low <= value <= high}; NaN never passes. */
        void range(String key, double value, double low, double high, String unit) {
            String allowed = high == Double.MAX_VALUE ? "at least " + fmt(low) : fmt(low) + ".." + fmt(high);
            require(value >= low && value <= high, key + "=" + fmt(value) + " refused: allowed " + allowed + " (" + unit + ")");
        }


        void notNegative(String key, double value) {
            require(value >= 0 && Double.isFinite(value), key + "=" + fmt(value) + " refused: allowed 0 or more");
        }

        void positiveWithBattery(String key, double value) {
            require(value > 0 && Double.isFinite(value),
                    key + "=" + fmt(value) + " refused: must be above 0 when batteryCapacityKwh is above 0");
        }

        ZoneId zone(String key, String text) {
            if (text == null || text.isBlank()) {
                return ZoneId.systemDefault();
            }
            try {
                return ZoneId.of(text.trim());
            } catch (DateTimeException e) {
                errors.add(key + "=" + text + " refused: allowed empty (system zone) or a zone id such as Europe/Berlin");
                return ZoneId.systemDefault();
            }
        }

        Optional<Instant> startTime(String key, String text, ZoneId zone) {
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            String t = text.trim();
            try {
                return Optional.of(OffsetDateTime.parse(t).toInstant());
            } catch (DateTimeException withoutOffset) {
                try {
                    return Optional.of(LocalDateTime.parse(t).atZone(zone).toInstant());
                } catch (DateTimeException e) {
                    errors.add(key + "=" + text + " refused: allowed empty (now) or ISO-8601 such as"
                            + " 2024-06-21T06:00:00Z or 2024-06-21T06:00 (in timeZone)");
                    return Optional.empty();
                }
            }
        }

        /** Ports 0..65535, 0 meaning in-process; no two devices on one port; no port for a device the site lacks. */
        ModbusExposure modbus(SimulatorConfig c) {
            String host = c.modbusHost() == null || c.modbusHost().isBlank() ? ModbusExposure.DEFAULT_HOST
                    : c.modbusHost().trim();
            java.util.Map<Integer, String> used = new java.util.HashMap<>();
            for (var port : List.of(java.util.Map.entry("gridMeterModbusPort", c.gridMeterModbusPort()),
                    java.util.Map.entry("pvModbusPort", c.pvModbusPort()),
                    java.util.Map.entry("batteryModbusPort", c.batteryModbusPort()))) {
                int p = port.getValue();
                require(p >= 0 && p <= 65535, port.getKey() + "=" + p + " refused: allowed 0 (in-process) to 65535");
                if (p > 0) {
                    String other = used.putIfAbsent(p, port.getKey());
                    require(other == null, port.getKey() + "=" + p + " refused: " + other + " uses that port already");
                }
            }
            require(c.pvModbusPort() == 0 || c.pvPeakKw() > 0,
                    "pvModbusPort=" + c.pvModbusPort() + " refused: the site has no PV (pvPeakKw=0)");
            require(c.batteryModbusPort() == 0 || c.batteryCapacityKwh() > 0,
                    "batteryModbusPort=" + c.batteryModbusPort() + " refused: the site has no battery"
                            + " (batteryCapacityKwh=0)");
            return new ModbusExposure(host, c.gridMeterModbusPort(), c.pvModbusPort(), c.batteryModbusPort());
        }

        /** A ws:// or wss:// URL with a host and no query; empty keeps the chargers in-process. */
        OcppExposure ocpp(SimulatorConfig c) {
            int interval = c.ocppMeterValueIntervalSeconds();
            range("ocppMeterValueIntervalSeconds", interval, 1, 3600, "simulated seconds");
            String password = c.ocppPassword() == null ? "" : c.ocppPassword();
            String text = c.ocppCentralSystemUrl() == null ? "" : c.ocppCentralSystemUrl().trim();
            if (text.isEmpty()) {
                return new OcppExposure("", password, interval);
            }
            String allowed = " refused: allowed empty (chargers in-process) or a ws:// or wss:// URL with a host and no"
                    + " query, e.g. ws://127.0.0.1:8887/ocpp";
            try {
                java.net.URI uri = new java.net.URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null || uri.getRawQuery() != null
                        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                    fail("ocppCentralSystemUrl=" + text + allowed);
                    return OcppExposure.NONE;
                }
            } catch (java.net.URISyntaxException e) {
                fail("ocppCentralSystemUrl=" + text + allowed);
                return OcppExposure.NONE;
            }
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            return new OcppExposure(text, password, interval);
        }

        void throwIfAny() {
            if (!errors.isEmpty()) {
                throw new InvalidConfigurationException(errors);
            }
        }
    }

    /** A refused configuration, with every reason. */
    static final class InvalidConfigurationException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final List<String> reasons;

        InvalidConfigurationException(List<String> reasons) {
            super(String.join("; ", reasons));
            this.reasons = List.copyOf(reasons);
        }

        List<String> reasons() {
            return reasons;
        }
    }

    @Override
    public String toString() {
        String served = modbus.any() ? String.format(Locale.ROOT, ", Modbus TCP on %s (grid %d, PV %d, battery %d)",
                modbus.host(), modbus.gridMeterPort(), modbus.pvPort(), modbus.batteryPort()) : "";
        String charging = ocpp.enabled() ? ", chargers over OCPP 1.6J to " + ocpp.centralSystemUrl() : "";
        return String.format(Locale.ROOT, "speed %sx, tick %d ms, start %s, %s%s%s", fmt(speed), tick.toMillis(),
                startTime.map(Instant::toString).orElse("now"), describe(site), served, charging);
    }

    private static String describe(SiteConfig s) {
        return String.format(Locale.ROOT, "fuse %s A, base load %s kW, PV %s kWp, battery %s kWh, %d chargers x %s A %d-phase",
                fmt(s.fuseLimitAmps()), fmt(s.baseLoadWatts() / 1000), fmt(s.pvPeakWatts() / 1000),
                fmt(s.batteryCapacityWattHours() / 1000), s.chargers(), fmt(s.chargerMaxAmps()), s.chargerPhases());
    }
}

package org.fusebox.simulator.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Everything that shapes a simulated site. Values are checked here as a last guard; the OSGi layer checks
 * them first and explains refusals in terms of its configuration keys.
 *
 * @param start                     simulated time at which the model starts
 * @param zone                      time zone for daily profiles and sunrise
 * @param seed                      seed for every random process, so a run can be repeated exactly
 * @param nominalVolts              phase-to-neutral voltage
 * @param fuseLimitAmps             the physical fuse per phase at the grid connection
 * @param baseLoadWatts             the building's night-time load; the daily profile multiplies it
 * @param pvPeakWatts               PV rated output; 0 means no PV
 * @param latitudeDegrees           latitude for day length and sun height
 * @param batteryCapacityWattHours  usable battery energy; 0 means no battery
 * @param batteryMaxChargeWatts     highest charging power
 * @param batteryMaxDischargeWatts  highest discharging power
 * @param batteryRoundTripEfficiency AC to AC, as a fraction in (0, 1]
 * @param batteryInitialSocPercent  state of charge at start
 * @param chargers                  number of single-connector EV chargers
 * @param chargerPhases             1 or 3
 * @param chargerMinAmps            lowest current an EV charges at; below it a connector is paused
 * @param chargerMaxAmps            connector rating per phase
 * @param chargerFailsafeAmps       what a charger falls back to when its controller goes quiet
 * @param failsafeTimeout           real (wall-clock) time without a command before chargers and battery fall back
 * @param evArrivalMeanInterval     mean time between EV arrivals (exponentially distributed)
 * @param initialOccupancy          share of connectors with an EV already plugged in at start, 0..1
 * @param maxSubstep                longest slice of simulated time computed at once; long steps are split
 */
public record SiteConfig(Instant start, ZoneId zone, long seed, double nominalVolts, double fuseLimitAmps,
        double baseLoadWatts, double pvPeakWatts, double latitudeDegrees,
        double batteryCapacityWattHours, double batteryMaxChargeWatts, double batteryMaxDischargeWatts,
        double batteryRoundTripEfficiency, double batteryInitialSocPercent,
        int chargers, int chargerPhases, double chargerMinAmps, double chargerMaxAmps, double chargerFailsafeAmps,
        Duration failsafeTimeout, Duration evArrivalMeanInterval, double initialOccupancy, Duration maxSubstep) {

    public SiteConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(failsafeTimeout, "failsafeTimeout");
        Objects.requireNonNull(evArrivalMeanInterval, "evArrivalMeanInterval");
        Objects.requireNonNull(maxSubstep, "maxSubstep");
        require(nominalVolts > 0, "nominalVolts must be positive", nominalVolts);
        require(fuseLimitAmps > 0, "fuseLimitAmps must be positive", fuseLimitAmps);
        require(baseLoadWatts >= 0, "baseLoadWatts must not be negative", baseLoadWatts);
        require(pvPeakWatts >= 0, "pvPeakWatts must not be negative", pvPeakWatts);
        require(latitudeDegrees >= -66 && latitudeDegrees <= 66, "latitudeDegrees must be within -66..66", latitudeDegrees);
        require(batteryCapacityWattHours >= 0, "batteryCapacityWattHours must not be negative", batteryCapacityWattHours);
        require(batteryMaxChargeWatts >= 0, "batteryMaxChargeWatts must not be negative", batteryMaxChargeWatts);
        require(batteryMaxDischargeWatts >= 0, "batteryMaxDischargeWatts must not be negative", batteryMaxDischargeWatts);
        require(batteryRoundTripEfficiency > 0 && batteryRoundTripEfficiency <= 1,
                "batteryRoundTripEfficiency must be within (0, 1]", batteryRoundTripEfficiency);
        require(batteryInitialSocPercent >= 0 && batteryInitialSocPercent <= 100,
                "batteryInitialSocPercent must be within 0..100", batteryInitialSocPercent);
        require(chargers >= 0, "chargers must not be negative", chargers);
        require(chargerPhases == 1 || chargerPhases == 3, "chargerPhases must be 1 or 3", chargerPhases);
        require(chargerMinAmps >= 0 && chargerMinAmps <= chargerMaxAmps,
                "chargerMinAmps must be within 0..chargerMaxAmps", chargerMinAmps);
        require(chargerFailsafeAmps >= 0 && chargerFailsafeAmps <= chargerMaxAmps,
                "chargerFailsafeAmps must be within 0..chargerMaxAmps", chargerFailsafeAmps);
        require(isPositive(failsafeTimeout), "failsafeTimeout must be positive", failsafeTimeout);
        require(isPositive(evArrivalMeanInterval), "evArrivalMeanInterval must be positive", evArrivalMeanInterval);
        require(initialOccupancy >= 0 && initialOccupancy <= 1, "initialOccupancy must be within 0..1", initialOccupancy);
        require(isPositive(maxSubstep), "maxSubstep must be positive", maxSubstep);
    }

    public boolean hasPv() {
        return pvPeakWatts > 0;
    }

    public boolean hasBattery() {
        return batteryCapacityWattHours > 0;
    }

    /** A builder starting from a small, fully equipped site, convenient for tests and demos. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static boolean isPositive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private static void require(boolean ok, String message, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(message + ", got " + value);
        }
    }

    /** Mutable builder; every setter returns the builder. */
    public static final class Builder {
        private Instant start = Instant.parse("2024-06-21T00:00:00Z");
        private ZoneId zone = ZoneOffset.UTC;
        private long seed = 42;
        private double nominalVolts = 230;
        private double fuseLimitAmps = 63;
        private double baseLoadWatts = 3_000;
        private double pvPeakWatts = 25_000;
        private double latitudeDegrees = 50;
        private double batteryCapacityWattHours = 50_000;
        private double batteryMaxChargeWatts = 25_000;
        private double batteryMaxDischargeWatts = 25_000;
        private double batteryRoundTripEfficiency = 0.9;
        private double batteryInitialSocPercent = 50;
        private int chargers = 4;
        private int chargerPhases = 3;
        private double chargerMinAmps = 6;
        private double chargerMaxAmps = 32;
        private double chargerFailsafeAmps = 6;
        private Duration failsafeTimeout = Duration.ofSeconds(10);
        private Duration evArrivalMeanInterval = Duration.ofMinutes(60);
        private double initialOccupancy = 0.5;
        private Duration maxSubstep = Duration.ofSeconds(5);

        private Builder() {
        }

        private Builder(SiteConfig c) {
            start = c.start;
            zone = c.zone;
            seed = c.seed;
            nominalVolts = c.nominalVolts;
            fuseLimitAmps = c.fuseLimitAmps;
            baseLoadWatts = c.baseLoadWatts;
            pvPeakWatts = c.pvPeakWatts;
            latitudeDegrees = c.latitudeDegrees;
            batteryCapacityWattHours = c.batteryCapacityWattHours;
            batteryMaxChargeWatts = c.batteryMaxChargeWatts;
            batteryMaxDischargeWatts = c.batteryMaxDischargeWatts;
            batteryRoundTripEfficiency = c.batteryRoundTripEfficiency;
            batteryInitialSocPercent = c.batteryInitialSocPercent;
            chargers = c.chargers;
            chargerPhases = c.chargerPhases;
            chargerMinAmps = c.chargerMinAmps;
            chargerMaxAmps = c.chargerMaxAmps;
            chargerFailsafeAmps = c.chargerFailsafeAmps;
            failsafeTimeout = c.failsafeTimeout;
            evArrivalMeanInterval = c.evArrivalMeanInterval;
            initialOccupancy = c.initialOccupancy;
            maxSubstep = c.maxSubstep;
        }

        public Builder start(Instant v) { start = v; return this; }
        public Builder zone(ZoneId v) { zone = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder nominalVolts(double v) { nominalVolts = v; return this; }
        public Builder fuseLimitAmps(double v) { fuseLimitAmps = v; return this; }
        public Builder baseLoadWatts(double v) { baseLoadWatts = v; return this; }
        public Builder pvPeakWatts(double v) { pvPeakWatts = v; return this; }
        public Builder latitudeDegrees(double v) { latitudeDegrees = v; return this; }
        public Builder batteryCapacityWattHours(double v) { batteryCapacityWattHours = v; return this; }
        public Builder batteryMaxChargeWatts(double v) { batteryMaxChargeWatts = v; return this; }
        public Builder batteryMaxDischargeWatts(double v) { batteryMaxDischargeWatts = v; return this; }
        public Builder batteryRoundTripEfficiency(double v) { batteryRoundTripEfficiency = v; return this; }
        public Builder batteryInitialSocPercent(double v) { batteryInitialSocPercent = v; return this; }
        public Builder chargers(int v) { chargers = v; return this; }
        public Builder chargerPhases(int v) { chargerPhases = v; return this; }
        public Builder chargerMinAmps(double v) { chargerMinAmps = v; return this; }
        public Builder chargerMaxAmps(double v) { chargerMaxAmps = v; return this; }
        public Builder chargerFailsafeAmps(double v) { chargerFailsafeAmps = v; return this; }
        public Builder failsafeTimeout(Duration v) { failsafeTimeout = v; return this; }
        public Builder evArrivalMeanInterval(Duration v) { evArrivalMeanInterval = v; return this; }
        public Builder initialOccupancy(double v) { initialOccupancy = v; return this; }
        public Builder maxSubstep(Duration v) { maxSubstep = v; return this; }

        public SiteConfig build() {
            return new SiteConfig(start, zone, seed, nominalVolts, fuseLimitAmps, baseLoadWatts, pvPeakWatts,
                    latitudeDegrees, batteryCapacityWattHours, batteryMaxChargeWatts, batteryMaxDischargeWatts,
                    batteryRoundTripEfficiency, batteryInitialSocPercent, chargers, chargerPhases, chargerMinAmps,
                    chargerMaxAmps, chargerFailsafeAmps, failsafeTimeout, evArrivalMeanInterval, initialOccupancy,
                    maxSubstep);
        }
    }
}

package org.fusebox.driver.modbus.device;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.units.Percent;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.driver.modbus.PointChannels;

/**
 * Turns one poll's channel records into a role reading, by the names in {@link PointNames}. Values are
 * converted to the api's base units from the point's unit, so a map may give energy in kWh or Wh.
 */
final class ReadingMapper {

    /** Bounds {@link MeterReading} accepts for a frequency, both excluded. */
    static final double MIN_FREQUENCY_HZ = 0;
    static final double MAX_FREQUENCY_HZ = 100;

    private final Map<String, Double> values = new HashMap<>();
    private final Map<String, String> errors = new HashMap<>();

    ReadingMapper(List<ChannelRecord> records) {
        for (ChannelRecord r : records) {
            String name = r.channel().name();
            if (r.succeeded()) {
                String unit = String.valueOf(r.channel().config().getOrDefault(PointChannels.UNIT, ""));
                values.put(name, r.value().asDouble() * factor(unit));
            } else {
                errors.put(name, r.error());
            }
        }
    }

    MeterReading meter(Instant at) {
        double power = need(PointNames.POWER_TOTAL);
        double sum = need(PointNames.VOLTAGE_L1);
        int phases = 1;
        for (String name : List.of(PointNames.VOLTAGE_L2, PointNames.VOLTAGE_L3)) {
            Double v = values.get(name);
            if (v != null) {
                sum += v;
                phases++;
            }
        }
        double[] amps = {Math.abs(need(PointNames.CURRENT_L1)), Math.abs(need(PointNames.CURRENT_L2)),
                Math.abs(need(PointNames.CURRENT_L3))};
        double[] volts = {need(PointNames.VOLTAGE_L1), values.getOrDefault(PointNames.VOLTAGE_L2, sum / phases),
                values.getOrDefault(PointNames.VOLTAGE_L3, sum / phases)};
        int totalSign = PhaseSigns.fromTotal(power, amps, volts);
        PhaseCurrents currents = new PhaseCurrents(
                signedCurrent(amps[0], PointNames.POWER_L1, PointNames.POWER_FACTOR_L1, totalSign),
                signedCurrent(amps[1], PointNames.POWER_L2, PointNames.POWER_FACTOR_L2, totalSign),
                signedCurrent(amps[2], PointNames.POWER_L3, PointNames.POWER_FACTOR_L3, totalSign));
        return new MeterReading(at, Power.ofWatts(power), currents, Voltage.ofVolts(sum / phases),
                Energy.ofWattHours(need(PointNames.IMPORT_ENERGY)), Energy.ofWattHours(need(PointNames.EXPORT_ENERGY)),
                frequency());
    }

    /**
     * The frequency point's value in Hz, or NaN when it has none that can be a grid's: a meter that does not
     * measure it (SunSpec "not implemented", 0) must not lose its reading over it, only the frequency.
     */
    private double frequency() {
        Double hz = values.get(PointNames.FREQUENCY);
        return hz != null && hz > MIN_FREQUENCY_HZ && hz < MAX_FREQUENCY_HZ ? hz : Double.NaN;
    }

    /**
     * @param rated     the nameplate power, the reference of percent limits
     * @param commanded the limit last accepted, for a device that cannot report its own; null when none
     */
    PvReading pv(Instant at, double rated, Double commanded) {
        Double reported = reportedOutputLimit(rated);
        double limit = reported != null ? reported : commanded != null ? Math.min(commanded, rated) : rated;
        return new PvReading(at, Power.ofWatts(need(PointNames.POWER_TOTAL)), Power.ofWatts(limit),
                Energy.ofWattHours(need(PointNames.PRODUCED_ENERGY)));
    }

    /**
     * The cap the inverter holds now: SunSpec 123's WMaxLimPct when WMaxLim_Ena is 1 (the rating when it is
     * 0), or a map's readable outputLimit / outputLimitPercent; null when the device does not say.
     */
    Double reportedOutputLimit(double rated) {
        Double enabled = values.get("WMaxLim_Ena");
        Double pct = values.get("WMaxLimPct");
        if (enabled != null) {
            if (enabled.intValue() != 1) {
                return rated;
            }
            return pct == null ? null : Math.max(0, Math.min(rated, pct / 100 * rated));
        }
        Double watts = values.get(PointNames.OUTPUT_LIMIT);
        if (watts != null) {
            return Math.max(0, Math.min(rated, watts));
        }
        Double percent = values.get(PointNames.OUTPUT_LIMIT_PERCENT);
        return percent == null ? null : Math.max(0, Math.min(rated, percent / 100 * rated));
    }

    /**
     * @param fallbackSetpoint the setpoint last accepted, for devices that do not report theirs
     */
    BatteryReading battery(Instant at, double fallbackSetpoint, double configuredMaxDischarge) {
        // adding 0.0 turns the -0.0 of a negated idle battery into 0.0
        double power = (has(PointNames.BATTERY_POWER) ? need(PointNames.BATTERY_POWER)
                : -need(PointNames.DISCHARGE_POWER)) + 0.0;
        double soc = need(PointNames.SOC);
        Double setpoint = values.get(PointNames.POWER_SETPOINT);
        if (setpoint == null) {
            setpoint = sunspecStorageSetpoint(configuredMaxDischarge);
        }
        return new BatteryReading(at, Power.ofWatts(power), Percent.clamped(soc),
                Power.ofWatts(setpoint != null ? setpoint : fallbackSetpoint));
    }

    /**
     * SunSpec 124's rates and mode bits read back as a power, or null when the device has no model 124.
     * InWRte is a percentage of WChaMax, OutWRte of the discharge maximum (802's, else the configured one).
     */
    private Double sunspecStorageSetpoint(double configuredMaxDischarge) {
        Double mode = values.get("StorCtl_Mod");
        Double in = values.get("InWRte");
        Double out = values.get("OutWRte");
        Double max = values.get("WChaMax");
        if (mode == null || in == null || out == null || max == null) {
            return null;
        }
        int bits = mode.intValue();
        if ((bits & 1) != 0 && in > 0) {
            return in / 100 * max;
        }
        if ((bits & 2) != 0 && out > 0) {
            Double dischargeMax = values.get(PointNames.MAX_DISCHARGE_POWER);
            double base = dischargeMax != null && dischargeMax > 0 ? dischargeMax : configuredMaxDischarge;
            return -out / 100 * base;
        }
        return 0.0;
    }

    /** The configured ratings, with the charge and discharge power capped by what the battery reports now. */
    BatteryRatings cappedRatings(BatteryRatings configured) {
        Double charge = values.get(PointNames.MAX_CHARGE_POWER);
        Double discharge = values.get(PointNames.MAX_DISCHARGE_POWER);
        if (charge == null && discharge == null) {
            return configured;
        }
        double c = configured.maxChargePower().watts();
        double d = configured.maxDischargePower().watts();
        return new BatteryRatings(configured.capacity(),
                Power.ofWatts(charge != null && charge >= 0 ? Math.min(c, charge) : c),
                Power.ofWatts(discharge != null && discharge >= 0 ? Math.min(d, discharge) : d),
                configured.roundTripEfficiency(), configured.phases());
    }

    private boolean has(String name) {
        return values.containsKey(name) || errors.containsKey(name);
    }

    /**
     * Meters give current magnitudes; the api wants them signed like power. The phase's own power lends its
     * sign; without it the phase's power factor (meters that sign it by the direction of active power);
     * without either, the sign the totals prove for every phase ({@link PhaseSigns#fromTotal}).
     */
    private Current signedCurrent(double amps, String phasePower, String powerFactor, int totalSign) {
        Double power = values.get(phasePower);
        if (power != null) {
            return Current.ofAmps(power < 0 ? -amps : amps);
        }
        Double pf = values.get(powerFactor);
        if (pf != null) {
            return Current.ofAmps(pf < 0 ? -amps : amps);
        }
        return Current.ofAmps(totalSign < 0 ? -amps : amps);
    }

    private double need(String name) {
        Double v = values.get(name);
        if (v != null) {
            return v;
        }
        String error = errors.get(name);
        throw new MissingPointException("point " + name + ": " + (error != null ? error : "not in the register map"));
    }

    static double factor(String unit) {
        // case matters: "MW" is mega, "mW" would be milli
        return switch (unit.trim()) {
            case "kWh", "kwh", "KWh", "kW", "kw", "KW" -> 1_000;
            case "MWh", "MW" -> 1_000_000;
            default -> 1;
        };
    }

    /** A point the role needs has no value in this poll. */
    static final class MissingPointException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingPointException(String message) {
            super(message);
        }
    }
}

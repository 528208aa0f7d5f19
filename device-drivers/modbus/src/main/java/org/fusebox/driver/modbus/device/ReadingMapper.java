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
        PhaseCurrents currents = new PhaseCurrents(
                signedCurrent(PointNames.CURRENT_L1, PointNames.POWER_L1),
                signedCurrent(PointNames.CURRENT_L2, PointNames.POWER_L2),
                signedCurrent(PointNames.CURRENT_L3, PointNames.POWER_L3));
        double sum = need(PointNames.VOLTAGE_L1);
        int phases = 1;
        for (String name : List.of(PointNames.VOLTAGE_L2, PointNames.VOLTAGE_L3)) {
            Double v = values.get(name);
            if (v != null) {
                sum += v;
                phases++;
            }
        }
        return new MeterReading(at, Power.ofWatts(power), currents, Voltage.ofVolts(sum / phases),
                Energy.ofWattHours(need(PointNames.IMPORT_ENERGY)), Energy.ofWattHours(need(PointNames.EXPORT_ENERGY)));
    }

    PvReading pv(Instant at, Power rated) {
        return new PvReading(at, Power.ofWatts(need(PointNames.POWER_TOTAL)), rated,
                Energy.ofWattHours(need(PointNames.PRODUCED_ENERGY)));
    }

    /**
     * @param fallbackSetpoint the setpoint last accepted, for devices that do not report theirs
     */
    BatteryReading battery(Instant at, double fallbackSetpoint) {
        // adding 0.0 turns the -0.0 of a negated idle battery into 0.0
        double power = (has(PointNames.BATTERY_POWER) ? need(PointNames.BATTERY_POWER)
                : -need(PointNames.DISCHARGE_POWER)) + 0.0;
        double soc = need(PointNames.SOC);
        Double setpoint = values.get(PointNames.POWER_SETPOINT);
        if (setpoint == null) {
            setpoint = sunspecStorageSetpoint();
        }
        return new BatteryReading(at, Power.ofWatts(power), Percent.clamped(soc),
                Power.ofWatts(setpoint != null ? setpoint : fallbackSetpoint));
    }

    /** SunSpec 124's rates and mode bits read back as a power, or null when the device has no model 124. */
    private Double sunspecStorageSetpoint() {
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
            return -out / 100 * max;
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

    /** Meters give current magnitudes; the api wants them signed like power, so the phase power lends its sign. */
    private Current signedCurrent(String current, String phasePower) {
        double amps = Math.abs(need(current));
        Double power = values.get(phasePower);
        return Current.ofAmps(power != null && power < 0 ? -amps : amps);
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

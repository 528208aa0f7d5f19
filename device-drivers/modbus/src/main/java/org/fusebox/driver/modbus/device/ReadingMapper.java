package org.fusebox.driver.modbus.device;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.device.MeterReading;
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

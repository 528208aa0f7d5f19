package org.fusebox.shell;

import java.time.Duration;
import java.util.Locale;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;

/**
 * Numbers as an operator reads them on a console: kW and kWh with two decimals, amps and percent with one.
 * Always with {@link Locale#ROOT}, so the decimal mark does not depend on the gateway's locale.
 */
final class Format {

    /** Shown where a value does not apply or is not known. */
    static final String NONE = "-";

    private Format() {
    }

    static String kilowatts(Power power) {
        return String.format(Locale.ROOT, "%.2f kW", power.kilowatts());
    }

    static String kilowattHours(Energy energy) {
        return String.format(Locale.ROOT, "%.2f kWh", energy.kilowattHours());
    }

    static String amps(Current current) {
        return String.format(Locale.ROOT, "%.1f A", current.amps());
    }

    static String percent(Percent percent) {
        return String.format(Locale.ROOT, "%.1f %%", percent.value());
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.0f %%", value);
    }

    /** Milliseconds below a second, seconds above. */
    static String duration(Duration d) {
        double millis = d.getSeconds() * 1000.0 + d.getNano() / 1_000_000.0;
        return millis < 1000 ? String.format(Locale.ROOT, "%.2f ms", millis)
                : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    /** {@code ONLINE}, or the state with its reason: {@code OFFLINE: no heartbeat}. */
    static String status(DeviceStatus status) {
        return status.reason().isEmpty() ? status.state().name() : status.state() + ": " + status.reason();
    }

    /** Grid power in words, since its sign is easy to misread: import positive, export negative. */
    static String gridPower(Power power) {
        if (power.isNegative()) {
            return "export " + kilowatts(power.negate());
        }
        return "import " + kilowatts(power);
    }

    /** Battery power in words: charging positive, discharging negative. */
    static String batteryPower(Power power) {
        if (power.isPositive()) {
            return "charging " + kilowatts(power);
        }
        if (power.isNegative()) {
            return "discharging " + kilowatts(power.negate());
        }
        return "idle";
    }

    /** A battery setpoint in words, the imperative of {@link #batteryPower(Power)}. */
    static String batterySetpoint(Power power) {
        if (power.isPositive()) {
            return "charge " + kilowatts(power);
        }
        if (power.isNegative()) {
            return "discharge " + kilowatts(power.negate());
        }
        return "idle";
    }
}

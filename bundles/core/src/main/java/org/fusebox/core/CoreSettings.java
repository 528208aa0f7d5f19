package org.fusebox.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Voltage;

/**
 * A validated core configuration. Built only from a configuration that passes every check, so the loop
 * never runs on a half-valid one.
 */
record CoreSettings(SiteLimits limits, Duration readingTimeout, Duration setpointRefresh, Duration breachCooldown) {

    /** Checks every value and names each one that is wrong; throws with all of them at once. */
    static CoreSettings from(CoreConfig c) {
        List<String> errors = new ArrayList<>();
        check(errors, c.fuseLimitAmps() > 0 && Double.isFinite(c.fuseLimitAmps()),
                "fuseLimitAmps must be a positive number of amps, got " + c.fuseLimitAmps());
        check(errors, c.safetyMarginAmps() >= 0 && c.safetyMarginAmps() < c.fuseLimitAmps(),
                "safetyMarginAmps must be at least 0 and below fuseLimitAmps (" + c.fuseLimitAmps() + "), got " + c.safetyMarginAmps());
        check(errors, c.phases() == 1 || c.phases() == 3, "phases must be 1 or 3, got " + c.phases());
        check(errors, c.nominalVoltage() >= 100 && c.nominalVoltage() <= 400,
                "nominalVoltage must be within 100..400 V, got " + c.nominalVoltage());
        check(errors, c.batteryMinSocPercent() >= 0 && c.batteryMinSocPercent() <= 100,
                "batteryMinSocPercent must be within 0..100, got " + c.batteryMinSocPercent());
        check(errors, c.batteryMaxSocPercent() >= 0 && c.batteryMaxSocPercent() <= 100,
                "batteryMaxSocPercent must be within 0..100, got " + c.batteryMaxSocPercent());
        check(errors, c.batteryMinSocPercent() < c.batteryMaxSocPercent(),
                "batteryMinSocPercent (" + c.batteryMinSocPercent() + ") must be below batteryMaxSocPercent ("
                        + c.batteryMaxSocPercent() + ")");
        check(errors, c.cyclePeriodMillis() >= 50 && c.cyclePeriodMillis() <= 60_000,
                "cyclePeriodMillis must be within 50..60000, got " + c.cyclePeriodMillis());
        check(errors, c.readingTimeoutMillis() >= 100, "readingTimeoutMillis must be at least 100, got " + c.readingTimeoutMillis());
        check(errors, c.setpointRefreshMillis() >= 100, "setpointRefreshMillis must be at least 100, got " + c.setpointRefreshMillis());
        check(errors, c.breachCooldownMillis() >= 0, "breachCooldownMillis must not be negative, got " + c.breachCooldownMillis());
        if (!errors.isEmpty()) {
            throw new InvalidConfigurationException(errors);
        }
        SiteLimits limits = new SiteLimits(Current.ofAmps(c.fuseLimitAmps()), Current.ofAmps(c.safetyMarginAmps()),
                c.phases(), Voltage.ofVolts(c.nominalVoltage()), Percent.of(c.batteryMinSocPercent()),
                Percent.of(c.batteryMaxSocPercent()), Duration.ofMillis(c.cyclePeriodMillis()));
        return new CoreSettings(limits, Duration.ofMillis(c.readingTimeoutMillis()),
                Duration.ofMillis(c.setpointRefreshMillis()), Duration.ofMillis(c.breachCooldownMillis()));
    }

    private static void check(List<String> errors, boolean ok, String message) {
        if (!ok) {
            errors.add(message);
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
}

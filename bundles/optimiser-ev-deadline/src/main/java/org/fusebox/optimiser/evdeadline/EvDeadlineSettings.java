package org.fusebox.optimiser.evdeadline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A validated configuration. */
record EvDeadlineSettings(Duration slotLength, Duration defaultDeparture, double defaultEnergyKwh) {

    static final EvDeadlineSettings DEFAULTS = new EvDeadlineSettings(Duration.ofMinutes(15), Duration.ofHours(10), 30.0);

    /** @throws IllegalArgumentException naming every bad value */
    static EvDeadlineSettings from(EvDeadlineConfig c) {
        List<String> errors = new ArrayList<>();
        int slot = c.slotMinutes();
        if (slot < 5 || slot > 60 || 60 % slot != 0) {
            errors.add("slotMinutes must divide 60 and be within 5..60, got " + slot);
        }
        double hours = c.defaultDepartureHours();
        if (!(hours >= 0.25 && hours <= 168)) {
            errors.add("defaultDepartureHours must be within 0.25..168, got " + hours);
        }
        double kwh = c.defaultEnergyKwh();
        if (!(kwh >= 0 && kwh <= 500)) {
            errors.add("defaultEnergyKwh must be within 0..500, got " + kwh);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new EvDeadlineSettings(Duration.ofMinutes(slot), Duration.ofSeconds(Math.round(hours * 3600)), kwh);
    }
}

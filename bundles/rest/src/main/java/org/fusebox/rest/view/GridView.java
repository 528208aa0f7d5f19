package org.fusebox.rest.view;

import java.time.Instant;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.site.GridState;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/**
 * The grid meter.
 *
 * @param id      device id
 * @param name    display name
 * @param status  device status
 * @param reading latest fresh reading, or null
 */
public record GridView(String id, String name, DeviceStatusView status, Reading reading) {

    /**
     * @param timestamp     when it was measured
     * @param power         import positive, export negative
     * @param currents      per phase, import positive
     * @param voltage       phase-to-neutral, averaged
     * @param importedTotal energy register
     * @param exportedTotal energy register
     * @param frequencyHz   the grid frequency, null when the meter does not measure it
     */
    public record Reading(Instant timestamp, Power power, PhaseCurrents currents, Voltage voltage,
            Energy importedTotal, Energy exportedTotal, Double frequencyHz) {
    }

    /** Null when the site has no grid meter. */
    public static GridView of(GridState grid) {
        if (grid == null) {
            return null;
        }
        MeterReading r = grid.reading();
        Reading reading = r == null ? null
                : new Reading(r.timestamp(), r.power(), r.currents(), r.voltage(), r.importedTotal(), r.exportedTotal(),
                        r.frequency().isPresent() ? r.frequency().getAsDouble() : null);
        return new GridView(grid.id(), grid.name(), DeviceStatusView.of(grid.status()), reading);
    }
}

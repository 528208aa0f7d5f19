package org.fusebox.rest.view;

import java.time.Instant;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.site.PvState;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Power;

/**
 * A PV inverter.
 *
 * @param id          device id
 * @param name        display name
 * @param status      device status
 * @param ratedPower  nameplate AC power
 * @param curtailable whether its output can be capped
 * @param reading     latest fresh reading, or null
 */
public record PvView(String id, String name, DeviceStatusView status, Power ratedPower, boolean curtailable,
        Reading reading) {

    /**
     * @param timestamp     when it was measured
     * @param power         AC output, production positive
     * @param outputLimit   the cap in force (the rated power when none)
     * @param producedTotal energy register
     */
    public record Reading(Instant timestamp, Power power, Power outputLimit, Energy producedTotal) {
    }

    public static PvView of(PvState pv) {
        PvReading r = pv.reading();
        Reading reading = r == null ? null : new Reading(r.timestamp(), r.power(), r.outputLimit(), r.producedTotal());
        return new PvView(pv.id(), pv.name(), DeviceStatusView.of(pv.status()), pv.ratedPower(), pv.curtailable(), reading);
    }
}

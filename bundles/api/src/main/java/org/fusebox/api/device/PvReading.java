package org.fusebox.api.device;

import java.time.Instant;
import java.util.Objects;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Power;

/**
 * A PV inverter reading.
 *
 * @param timestamp   when it was measured
 * @param power       AC output, production positive
 * @param outputLimit the output cap in force, or the rated power when none
 * @param producedTotal energy register
 */
public record PvReading(Instant timestamp, Power power, Power outputLimit, Energy producedTotal) {

    public PvReading {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(power, "power");
        Objects.requireNonNull(outputLimit, "outputLimit");
        Objects.requireNonNull(producedTotal, "producedTotal");
    }
}

package org.fusebox.api.device;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/** The meter at the grid connection point: what the fuse sees. */
@ConsumerType
public interface GridMeter extends Device {

    /** The latest reading, without I/O; empty until the first one arrives. */
    Optional<MeterReading> reading();
}

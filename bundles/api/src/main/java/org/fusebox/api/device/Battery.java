package org.fusebox.api.device;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.units.Power;
import org.osgi.annotation.versioning.ConsumerType;

/** A stationary battery with its inverter. Charging is positive power. */
@ConsumerType
public interface Battery extends Device {

    BatteryRatings ratings();

    Optional<BatteryReading> reading();

    /**
     * Commands an AC power: positive charges, negative discharges, zero idles. The battery holds it until
     * told otherwise; a driver that loses its device reports {@link WriteResult.Outcome#FAILED}.
     */
    CompletionStage<WriteResult> setPower(Power power);
}

package org.fusebox.api.device;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.units.Power;
import org.osgi.annotation.versioning.ConsumerType;

/** A PV inverter. Production is reported as a positive power. */
@ConsumerType
public interface PvInverter extends Device {

    /** Nameplate AC power. */
    Power ratedPower();

    Optional<PvReading> reading();

    /** Whether {@link #limitOutput(Power)} is supported. */
    default boolean supportsCurtailment() {
        return false;
    }

    /** Caps AC output (export limitation, negative prices). */
    default CompletionStage<WriteResult> limitOutput(Power maxOutput) {
        return java.util.concurrent.CompletableFuture.completedFuture(WriteResult.rejected("curtailment not supported"));
    }
}

package org.fusebox.api.forecast;

import java.time.Instant;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of PV or load forecasts, registered as an OSGi service. The core asks every forecaster each
 * cycle and puts the highest-ranked one per {@link ForecastKind} into the site snapshot, so a better
 * forecaster replaces a simple one by registering with a higher {@code service.ranking}.
 */
@ConsumerType
public interface Forecaster {

    String id();

    ForecastKind kind();

    /**
     * The forecast overlapping {@code [from, to)}; empty when it knows nothing. Called on the control
     * cycle: must answer from memory, never block on I/O.
     */
    PowerForecast forecast(Instant from, Instant to);
}

package org.fusebox.api.market;

import java.time.Instant;
import org.osgi.annotation.versioning.ConsumerType;

/** A source of energy prices (day-ahead market, tariff table, a CSV file). */
@ConsumerType
public interface PriceFeed {

    String id();

    /** The known prices overlapping {@code [from, to)}; empty when none are known. Must not block on I/O. */
    PriceCurve prices(Instant from, Instant to);
}

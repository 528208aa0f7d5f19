package org.fusebox.simulator.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Shared test fixtures: a site at midsummer midnight UTC, and a wall clock the test moves by hand. */
final class TestSites {

    static final Instant MIDSUMMER = Instant.parse("2024-06-21T00:00:00Z");

    private TestSites() {
    }

    /** A fully equipped site with no EV plugged in at start and EVs that practically never come. */
    static SiteConfig.Builder quiet() {
        return SiteConfig.builder()
                .start(MIDSUMMER)
                .zone(ZoneOffset.UTC)
                .initialOccupancy(0)
                .evArrivalMeanInterval(Duration.ofDays(100_000));
    }

    /** Real time that only moves when the test says so. */
    static final class ManualNanos implements LongSupplier {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long getAsLong() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }
}

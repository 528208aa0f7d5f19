package org.fusebox.market.entsoe;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.fusebox.api.health.Health;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.market.support.FeedFetcher;
import org.fusebox.market.support.PriceCache;
import org.fusebox.market.support.RateLimiter;

/** One zone's {@link FeedFetcher}: the A44 client, the settings' schedule, the zone's cache file. */
final class EntsoeFetcher {

    static final String CACHE_SOURCE = "fusebox-market-entsoe";

    private final EntsoeSettings settings;
    private final FeedFetcher fetcher;

    EntsoeFetcher(EntsoeSettings settings, Path dataDir, Clock clock) {
        this(settings, dataDir, clock, RateLimiter.perMinute(settings.maxRequestsPerMinute()));
    }

    EntsoeFetcher(EntsoeSettings settings, Path dataDir, Clock clock, RateLimiter limiter) {
        this.settings = settings;
        this.fetcher = feedFetcher(settings, dataDir, limiter, clock);
    }

    /** The zone's fetcher, not started: what the component runs. */
    static FeedFetcher feedFetcher(EntsoeSettings settings, Path dataDir, RateLimiter limiter, Clock clock) {
        return new FeedFetcher("ENTSO-E zone " + settings.zone(), new EntsoeClient(settings), settings.schedule(),
                limiter, dataDir == null ? null : cache(dataDir, settings.zone()), settings.healthHorizon(), clock);
    }

    static PriceCache cache(Path dataDir, String zone) {
        return new PriceCache(dataDir, CACHE_SOURCE, zone);
    }

    void start() {
        fetcher.start();
    }

    void stop() {
        fetcher.stop();
    }

    /** One request, if the rate allows; returns when the next should be. */
    Instant fetchOnce() throws InterruptedException {
        return fetcher.fetchOnce();
    }

    PriceCurve prices(Instant from, Instant to) {
        return fetcher.prices(from, to);
    }

    EntsoeSettings settings() {
        return settings;
    }

    Health health() {
        return fetcher.health();
    }
}

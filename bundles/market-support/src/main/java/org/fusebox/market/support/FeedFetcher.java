package org.fusebox.market.support;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceCurve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link PriceSource} on its own thread, by a {@link DailySchedule} and within a {@link
 * RateLimiter}, and keeps what it knows in memory and in a {@link PriceCache}. An answer is applied whole
 * or not at all: a refused one changes nothing, the prices known before stay in force. {@link #prices}
 * only reads memory. Health says how far ahead prices are known.
 */
public final class FeedFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(FeedFetcher.class);
    /** Yesterday's prices stay known (reports look back a little); older ones are dropped. */
    public static final Duration KEEP_PAST = Duration.ofDays(2);
    /** Failed requests in a row, with no price known for now, after which health is DOWN rather than DEGRADED. */
    public static final int DOWN_AFTER_FAILURES = 3;

    /** The outcome of a request, for health. */
    public record Outcome(Instant at, boolean ok, String text) {
    }

    private final String label;
    private final PriceSource source;
    private final DailySchedule schedule;
    private final RateLimiter limiter;
    private final PriceCache cache;
    private final Duration healthHorizon;
    private final Clock clock;
    private ScheduledExecutorService executor;

    private volatile KnownPrices known = KnownPrices.NONE;
    private volatile Outcome last;
    private volatile String cacheProblem;
    private volatile Instant nextAttempt;
    private volatile int unsuccessfulInARow;
    private volatile int failedInARow;

    /**
     * Reads the cache at once (a damaged one is logged and not used).
     *
     * @param label         names the feed in logs, health and the thread, e.g. "aWATTar DE"
     * @param cache         null when the bundle has no data area: prices are then not kept over a restart
     * @param healthHorizon how far ahead prices must be known for UP
     */
    public FeedFetcher(String label, PriceSource source, DailySchedule schedule, RateLimiter limiter, PriceCache cache,
            Duration healthHorizon, Clock clock) {
        this.label = label;
        this.source = source;
        this.schedule = schedule;
        this.limiter = limiter;
        this.cache = cache;
        this.healthHorizon = healthHorizon;
        this.clock = clock;
        loadCache();
    }

    private void loadCache() {
        if (cache == null) {
            cacheProblem = "no bundle data area: prices are not kept over a restart";
            return;
        }
        try {
            known = KnownPrices.NONE.merge(cache.read(), clock.instant().minus(KEEP_PAST));
            if (known.size() > 0) {
                LOG.info("{}: {} cached slots loaded, known until {}", label, known.size(), known.knownUntil(clock.instant()));
            }
        } catch (IOException | RuntimeException e) {
            cacheProblem = "price cache not used: " + e.getMessage();
            LOG.warn("{}: {}", label, cacheProblem);
        }
    }

    /** Starts the schedule: the first request at once (or when the rate limit allows). */
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusebox-feed-" + label.replaceAll("[^0-9A-Za-z._-]", "-"));
            t.setDaemon(true);
            return t;
        });
        schedule(clock.instant());
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    private synchronized void schedule(Instant at) {
        nextAttempt = at;
        if (executor == null || executor.isShutdown()) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        executor.schedule(this::runAndReschedule, delay, TimeUnit.MILLISECONDS);
    }

    private void runAndReschedule() {
        Instant next;
        try {
            next = fetchOnce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            // a bug must not end the schedule
            LOG.error("{}: fetch failed unexpectedly", label, e);
            next = clock.instant().plus(schedule.backoff(++unsuccessfulInARow));
        }
        schedule(next);
    }

    /** One request, if the rate allows; returns when the next should be. Only the fetch thread (or a test) calls it. */
    public Instant fetchOnce() throws InterruptedException {
        Instant now = clock.instant();
        if (!limiter.tryAcquire(now)) {
            Instant at = limiter.earliest(now);
            LOG.debug("{}: rate limit, next request at {}", label, at);
            return at;
        }
        Instant from = schedule.windowStart(now);
        Instant to = schedule.windowEnd(now);
        boolean success;
        Duration askedWait = Duration.ZERO;
        try {
            FetchResult result = source.fetch(from, to);
            if (result.hasPrices()) {
                apply(result, now, from, to);
            } else {
                last = new Outcome(now, true, "no prices published for " + from + "/" + to + " yet"
                        + (result.note().isEmpty() ? "" : " (" + result.note() + ")"));
                LOG.info("{}: {}", label, last.text());
            }
            success = true;
        } catch (FeedException e) {
            askedWait = e.retryAfter().orElse(Duration.ZERO);
            last = new Outcome(now, false, "refused, " + keptText() + ": " + e.getMessage());
            LOG.warn("{}: response {}", label, last.text());
            success = false;
        } catch (IOException | IllegalArgumentException e) {
            last = new Outcome(now, false, "prices not stored, " + keptText() + ": " + e.getMessage());
            LOG.warn("{}: {}", label, last.text());
            success = false;
        }
        Instant after = clock.instant();
        boolean complete = success && !known.knownUntil(after).isBefore(schedule.wantedUntil(after));
        unsuccessfulInARow = complete ? 0 : unsuccessfulInARow + 1;
        failedInARow = success ? 0 : failedInARow + 1;
        Instant next = schedule.next(after, known.knownUntil(after), unsuccessfulInARow, askedWait);
        LOG.debug("{}: next request at {}", label, next);
        return next;
    }

    private void apply(FetchResult result, Instant now, Instant from, Instant to) throws IOException {
        KnownPrices merged = known.merge(result.slots(), now.minus(KEEP_PAST));
        if (cache != null) {
            cache.write(merged.slots()); // on disk first: what is served can always be restored
            cacheProblem = null;
        }
        known = merged;
        last = new Outcome(now, true, result.slots().size() + " slots for " + from + "/" + to + ", known until "
                + merged.knownUntil(now) + (result.note().isEmpty() ? "" : " (" + result.note() + ")"));
        LOG.info("{}: {}", label, last.text());
    }

    private String keptText() {
        KnownPrices k = known;
        return k.size() == 0 ? "no prices known" : "the " + k.size() + " known slots stay in force";
    }

    public PriceCurve prices(Instant from, Instant to) {
        return known.between(from, to);
    }

    public KnownPrices known() {
        return known;
    }

    public Outcome lastOutcome() {
        return last;
    }

    /** Where the next request is planned, null before the first is. */
    public Instant nextAttempt() {
        return nextAttempt;
    }

    /**
     * UP when prices are known {@code healthHorizon} ahead; DEGRADED when not (the planners work on less);
     * DOWN when no price is known for now and the last {@value #DOWN_AFTER_FAILURES} requests failed.
     */
    public Health health() {
        Instant now = clock.instant();
        Instant until = known.knownUntil(now);
        Duration ahead = Duration.between(now, until);
        List<String> details = new ArrayList<>();
        details.add(label + ": prices known until " + (ahead.isZero() ? "(none for now)" : until
                + " (" + ahead.toHours() + " h " + ahead.toMinutesPart() + " min ahead)"));
        Outcome o = last;
        details.add(o == null ? "no request yet" : "last request at " + o.at() + ": " + (o.ok() ? "" : "FAILED, ") + o.text());
        Instant n = nextAttempt;
        if (n != null) {
            details.add("next request at " + n);
        }
        if (cacheProblem != null) {
            details.add(cacheProblem);
        }
        if (ahead.isZero() && failedInARow >= DOWN_AFTER_FAILURES) {
            details.add(0, "no price known for now, and the last " + failedInARow + " requests failed");
            return new Health(HealthStatus.DOWN, details);
        }
        if (ahead.compareTo(healthHorizon) < 0 || ahead.isZero()) {
            details.add(0, "prices for the next " + healthHorizon.toHours() + " h are not all known");
            return new Health(HealthStatus.DEGRADED, details);
        }
        return new Health(HealthStatus.UP, details);
    }

    /** {@code health} with a configuration problem first, at least DEGRADED (a refused configuration). */
    public static Health withProblem(Health health, String problem) {
        if (problem == null) {
            return health;
        }
        List<String> details = new ArrayList<>(health.details());
        details.add(0, problem);
        return new Health(health.status().worst(HealthStatus.DEGRADED), details);
    }
}

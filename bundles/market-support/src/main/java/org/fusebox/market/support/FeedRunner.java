package org.fusebox.market.support;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.market.PriceCurve;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a feed's DS component does whatever its source: check a configuration, and when it is refused
 * keep the previous one (and its fetcher) running, log the reason at ERROR, post
 * {@link FuseboxEvents#CONFIG_REJECTED} and show it first in health; when it is accepted, start the new
 * fetcher on the cache the old one wrote and stop the old one. The {@link RateLimiter} outlives the
 * fetchers while the configured limit stays the same, so a burst of reconfigurations cannot exceed it.
 *
 * <p>The component keeps its own {@code @Activate}, {@code @Modified}, {@code @Deactivate} and
 * {@code @Reference} methods (DS annotations are read per class by bnd) and calls this runner from them.
 *
 * @param <S> the feed's checked settings; {@code toString()} must not show secrets (it is logged)
 */
public final class FeedRunner<S> {

    /** Builds the fetcher of one accepted configuration, not started. */
    @FunctionalInterface
    public interface FetcherFactory<S> {
        /**
         * @param dataDir the bundle data area, null when there is none (no cache then)
         * @param limiter the feed's limiter, kept across reconfigurations
         */
        FeedFetcher fetcher(S settings, Path dataDir, RateLimiter limiter, Clock clock);
    }

    private final String pid;
    private final String label;
    private final String unconfiguredId;
    private final Clock clock;
    private final Function<S, String> idOf;
    private final Function<S, RateLimiter> limiterOf;
    private final FetcherFactory<S> fetcherOf;
    private final Logger log;

    private Path dataDir;
    private RateLimiter limiter;
    private volatile S settings;
    private volatile FeedFetcher fetcher;
    private volatile String configError;
    private volatile EventAdmin eventAdmin;

    /**
     * @param component      the feed's component class: the runner logs under its name
     * @param pid            the configuration PID, named in refusals and events
     * @param label          the source in log lines, e.g. "aWATTar"
     * @param unconfiguredId the feed id before any configuration is accepted
     * @param idOf           the feed id of accepted settings
     * @param limiterOf      a new limiter for these settings; the kept one stays while it allows the same
     */
    public FeedRunner(Class<?> component, String pid, String label, String unconfiguredId, Clock clock,
            Function<S, String> idOf, Function<S, RateLimiter> limiterOf, FetcherFactory<S> fetcherOf) {
        this.pid = Objects.requireNonNull(pid);
        this.label = Objects.requireNonNull(label);
        this.unconfiguredId = Objects.requireNonNull(unconfiguredId);
        this.clock = Objects.requireNonNull(clock);
        this.idOf = Objects.requireNonNull(idOf);
        this.limiterOf = Objects.requireNonNull(limiterOf);
        this.fetcherOf = Objects.requireNonNull(fetcherOf);
        this.log = LoggerFactory.getLogger(component);
    }

    /** The bundle's data area, null when the framework gives none (or in a test without a context). */
    public static Path dataArea(BundleContext context) {
        File area = context == null ? null : context.getDataFile("");
        return area == null ? null : area.toPath();
    }

    /** Remembers the data area and applies the first configuration. */
    public synchronized boolean start(Path dataDir, Supplier<S> check) {
        this.dataDir = dataDir;
        return configure(check);
    }

    /**
     * Applies the settings {@code check} returns; when it throws {@link IllegalArgumentException} (every
     * reason in its message) nothing changes but the configuration error.
     *
     * @return whether the configuration was accepted
     */
    public synchronized boolean configure(Supplier<S> check) {
        S next;
        try {
            next = check.get();
        } catch (IllegalArgumentException e) {
            refuse(e.getMessage());
            return false;
        }
        configError = null;
        RateLimiter wanted = limiterOf.apply(next);
        if (limiter == null || !limiter.sameAs(wanted.limit(), wanted.window())) {
            limiter = wanted;
        }
        FeedFetcher old = fetcher;
        // built before the old one stops: it reads the cache the old one wrote, so the same source keeps its prices
        FeedFetcher f = fetcherOf.fetcher(next, dataDir, limiter, clock);
        if (old != null) {
            old.stop();
        }
        settings = next;
        fetcher = f;
        f.start();
        log.info("{} price feed configured: {}", label, next);
        return true;
    }

    private void refuse(String reason) {
        S current = settings;
        configError = "configuration " + pid + " refused" + (current == null ? "" : ", the previous one (" + current
                + ") stays in force") + ": " + reason;
        log.error(configError);
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, pid, FuseboxEvents.REASON, reason)));
        }
    }

    /** Stops the running fetcher; the settings stay for {@link #id()}. */
    public synchronized void stop() {
        FeedFetcher f = fetcher;
        if (f != null) {
            f.stop();
        }
    }

    public String id() {
        S s = settings;
        return s == null ? unconfiguredId : idOf.apply(s);
    }

    /** Memory only; empty before a configuration is accepted. */
    public PriceCurve prices(Instant from, Instant to) {
        FeedFetcher f = fetcher;
        return f == null ? PriceCurve.EMPTY : f.prices(from, to);
    }

    /** The fetcher's health with a refused configuration first; DEGRADED before any is accepted. */
    public Health health() {
        FeedFetcher f = fetcher;
        String error = configError;
        if (f == null) {
            return Health.degraded(error == null ? "not configured" : error);
        }
        return FeedFetcher.withProblem(f.health(), error);
    }

    /** The settings in force, null before any configuration is accepted. */
    public S settings() {
        return settings;
    }

    /** The fetcher in force, null before any configuration is accepted. */
    public FeedFetcher fetcher() {
        return fetcher;
    }

    /** Why the last configuration was refused, null when it was accepted. */
    public String configError() {
        return configError;
    }

    public void setEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    /** Forgets {@code ea} only if it is the one in use (a dynamic reference may be replaced first). */
    public void unsetEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }
}

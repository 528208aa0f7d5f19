package org.fusebox.market.nordpool;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceKind;
import org.fusebox.market.support.FeedComponent;
import org.fusebox.market.support.FeedFetcher;
import org.fusebox.market.support.FeedRunner;
import org.fusebox.market.support.KnownPrices;
import org.fusebox.market.support.PriceCache;
import org.fusebox.market.support.RateLimiter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Day-ahead prices of one Nord Pool delivery area: spot ({@link PriceKind#SPOT}), before fees and taxes.
 * A refused configuration keeps the previous one (and its fetcher) running; the reason is logged at ERROR
 * and shown in health ({@link FeedRunner}).
 */
@Component(service = { PriceFeed.class, HealthIndicator.class }, configurationPid = NordpoolPriceFeed.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, reference = @Reference(name = "eventAdmin",
        service = EventAdmin.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY, bind = "setEventAdmin", unbind = "unsetEventAdmin"),
        property = PriceKind.SERVICE_PROPERTY + "=" + PriceKind.SPOT)
@Designate(ocd = NordpoolConfig.class)
public final class NordpoolPriceFeed extends FeedComponent<NordpoolSettings> {

    static final String PID = "fusebox.market.nordpool";
    static final String CACHE_SOURCE = "fusebox-market-nordpool";

    public NordpoolPriceFeed() {
        this(Clock.systemUTC());
    }

    NordpoolPriceFeed(Clock clock) {
        super("market.nordpool", new FeedRunner<>(NordpoolPriceFeed.class, PID, "Nord Pool", "nordpool", clock, NordpoolSettings::id,
                s -> RateLimiter.perMinute(s.maxRequestsPerMinute()), (s, dir, limiter, c) -> fetcher(s, dir, c, limiter)));
    }

    @Activate
    void activate(BundleContext context, NordpoolConfig config) {
        start(FeedRunner.dataArea(context), config);
    }

    void start(Path dataDir, NordpoolConfig config) {
        runner.start(dataDir, () -> NordpoolSettings.from(config));
    }

    @Modified
    void configure(NordpoolConfig config) {
        runner.configure(() -> NordpoolSettings.from(config));
    }

    static FeedFetcher fetcher(NordpoolSettings s, Path dataDir, Clock clock, RateLimiter limiter) {
        // the client skips days the fetcher already knows whole; it is built before the fetcher it asks
        AtomicReference<FeedFetcher> self = new AtomicReference<>();
        NordpoolClient client = new NordpoolClient(s, clock, () -> {
            FeedFetcher f = self.get();
            return f == null ? KnownPrices.NONE : f.known();
        });
        FeedFetcher f = new FeedFetcher("Nord Pool " + s.area() + " " + s.currency(), client, s.schedule(), limiter,
                dataDir == null ? null : cache(dataDir, s), s.healthHorizon(), clock);
        self.set(f);
        return f;
    }

    static PriceCache cache(Path dataDir, NordpoolSettings s) {
        return new PriceCache(dataDir, CACHE_SOURCE, s.sourceKey());
    }
}

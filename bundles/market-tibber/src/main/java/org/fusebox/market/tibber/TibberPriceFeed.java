package org.fusebox.market.tibber;

import java.nio.file.Path;
import java.time.Clock;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceKind;
import org.fusebox.market.support.FeedComponent;
import org.fusebox.market.support.FeedFetcher;
import org.fusebox.market.support.FeedRunner;
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
 * The retail prices of one Tibber home: what the site pays per kWh, energy tax and VAT included, so the
 * service says {@code fusebox.price.kind=retail} ({@link PriceKind#RETAIL}) and a tariff must not add them again.
 * A refused configuration keeps the previous one (and its fetcher) running; the reason is logged at ERROR
 * and shown in health ({@link FeedRunner}).
 */
@Component(service = { PriceFeed.class, HealthIndicator.class }, configurationPid = TibberPriceFeed.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, reference = @Reference(name = "eventAdmin",
        service = EventAdmin.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY, bind = "setEventAdmin", unbind = "unsetEventAdmin"),
        property = PriceKind.SERVICE_PROPERTY + "=" + PriceKind.RETAIL)
@Designate(ocd = TibberConfig.class)
public final class TibberPriceFeed extends FeedComponent<TibberSettings> {

    static final String PID = "fusebox.market.tibber";
    static final String CACHE_SOURCE = "fusebox-market-tibber";

    public TibberPriceFeed() {
        this(Clock.systemUTC());
    }

    TibberPriceFeed(Clock clock) {
        super("market.tibber", new FeedRunner<>(TibberPriceFeed.class, PID, "Tibber", "tibber", clock, TibberSettings::id,
                s -> RateLimiter.perMinute(s.maxRequestsPerMinute()), (s, dir, limiter, c) -> fetcher(s, dir, c, limiter)));
    }

    @Activate
    void activate(BundleContext context, TibberConfig config) {
        start(FeedRunner.dataArea(context), config);
    }

    void start(Path dataDir, TibberConfig config) {
        runner.start(dataDir, () -> TibberSettings.from(config));
    }

    @Modified
    void configure(TibberConfig config) {
        runner.configure(() -> TibberSettings.from(config));
    }

    static FeedFetcher fetcher(TibberSettings s, Path dataDir, Clock clock, RateLimiter limiter) {
        return new FeedFetcher("Tibber " + s.homeId().orElse("home"), new TibberClient(s, clock), s.schedule(), limiter,
                dataDir == null ? null : cache(dataDir, s), s.healthHorizon(), clock);
    }

    static PriceCache cache(Path dataDir, TibberSettings s) {
        return new PriceCache(dataDir, CACHE_SOURCE, s.sourceKey());
    }
}

package org.fusebox.market.awattar;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.market.PriceFeed;
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
 * aWATTar day-ahead spot prices for Germany or Austria. A refused configuration keeps the previous one
 * (and its fetcher) running; the reason is logged at ERROR and shown in health ({@link FeedRunner}).
 */
@Component(service = { PriceFeed.class, HealthIndicator.class }, configurationPid = AwattarPriceFeed.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, reference = @Reference(name = "eventAdmin",
        service = EventAdmin.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY, bind = "setEventAdmin", unbind = "unsetEventAdmin"), property = "fusebox.price.kind=spot")
@Designate(ocd = AwattarConfig.class)
public final class AwattarPriceFeed extends FeedComponent<AwattarSettings> {

    static final String PID = "fusebox.market.awattar";
    static final String CACHE_SOURCE = "fusebox-market-awattar";

    public AwattarPriceFeed() {
        this(Clock.systemUTC());
    }

    AwattarPriceFeed(Clock clock) {
        // the limiter counts a day: reconfiguring must not reset the day's count
        super("market.awattar", new FeedRunner<>(AwattarPriceFeed.class, PID, "aWATTar", "awattar", clock, AwattarSettings::id,
                s -> new RateLimiter(s.maxRequestsPerDay(), Duration.ofDays(1)), AwattarPriceFeed::newFetcher));
    }

    @Activate
    void activate(BundleContext context, AwattarConfig config) {
        start(FeedRunner.dataArea(context), config);
    }

    void start(Path dataDir, AwattarConfig config) {
        runner.start(dataDir, () -> AwattarSettings.from(config));
    }

    @Modified
    void configure(AwattarConfig config) {
        runner.configure(() -> AwattarSettings.from(config));
    }

    /** The fetcher of one configuration, not started. */
    static FeedFetcher newFetcher(AwattarSettings s, Path dataDir, RateLimiter limiter, Clock clock) {
        return new FeedFetcher("aWATTar " + s.country(), new AwattarSource(s), s.schedule(), limiter,
                dataDir == null ? null : cache(dataDir, s.country()), s.healthHorizon(), clock);
    }

    static PriceCache cache(Path dataDir, String country) {
        return new PriceCache(dataDir, CACHE_SOURCE, country);
    }
}

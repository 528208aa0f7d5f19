package org.fusebox.market.energycharts;

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
 * Energy-Charts day-ahead spot prices of one bidding zone. A refused configuration keeps the previous one
 * (and its fetcher) running; the reason is logged at ERROR and shown in health ({@link FeedRunner}).
 */
@Component(service = { PriceFeed.class, HealthIndicator.class }, configurationPid = EnergyChartsPriceFeed.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, reference = @Reference(name = "eventAdmin",
        service = EventAdmin.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY, bind = "setEventAdmin", unbind = "unsetEventAdmin"), property = "fusebox.price.kind=spot")
@Designate(ocd = EnergyChartsConfig.class)
public final class EnergyChartsPriceFeed extends FeedComponent<EnergyChartsSettings> {

    static final String PID = "fusebox.market.energycharts";
    static final String CACHE_SOURCE = "fusebox.market.energycharts";

    public EnergyChartsPriceFeed() {
        this(Clock.systemUTC());
    }

    EnergyChartsPriceFeed(Clock clock) {
        // the limiter counts an hour: reconfiguring must not reset the hour's count
        super("market.energycharts", new FeedRunner<>(EnergyChartsPriceFeed.class, PID, "Energy-Charts", "energycharts", clock, EnergyChartsSettings::id,
                s -> new RateLimiter(s.maxRequestsPerHour(), Duration.ofHours(1)), EnergyChartsPriceFeed::newFetcher));
    }

    @Activate
    void activate(BundleContext context, EnergyChartsConfig config) {
        start(FeedRunner.dataArea(context), config);
    }

    void start(Path dataDir, EnergyChartsConfig config) {
        runner.start(dataDir, () -> EnergyChartsSettings.from(config));
    }

    @Modified
    void configure(EnergyChartsConfig config) {
        runner.configure(() -> EnergyChartsSettings.from(config));
    }

    /** The fetcher of one configuration, not started. */
    static FeedFetcher newFetcher(EnergyChartsSettings s, Path dataDir, RateLimiter limiter, Clock clock) {
        return new FeedFetcher("Energy-Charts " + s.biddingZone(), new EnergyChartsSource(s), s.schedule(), limiter,
                dataDir == null ? null : cache(dataDir, s.biddingZone()), s.healthHorizon(), clock);
    }

    static PriceCache cache(Path dataDir, String zone) {
        return new PriceCache(dataDir, CACHE_SOURCE, zone);
    }
}

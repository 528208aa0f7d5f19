package org.fusebox.market.caiso;

import java.nio.file.Path;
import java.time.Clock;
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
 * Day-ahead LMPs of one CAISO pricing node. A refused configuration keeps the previous one (and its
 * fetcher) running; the reason is logged at ERROR and shown in health ({@link FeedRunner}).
 */
@Component(service = { PriceFeed.class, HealthIndicator.class }, configurationPid = CaisoPriceFeed.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, reference = @Reference(name = "eventAdmin",
        service = EventAdmin.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY, bind = "setEventAdmin", unbind = "unsetEventAdmin"),
        property = "fusebox.price.kind=spot")
@Designate(ocd = CaisoConfig.class)
public final class CaisoPriceFeed extends FeedComponent<CaisoSettings> {

    static final String PID = "fusebox.market.caiso";
    static final String SOURCE = "fusebox-market-caiso";

    public CaisoPriceFeed() {
        this(Clock.systemUTC());
    }

    CaisoPriceFeed(Clock clock) {
        // one request per spacing window, whatever the schedule asks
        super("market.caiso", new FeedRunner<>(CaisoPriceFeed.class, PID, "CAISO", "caiso", clock, CaisoSettings::id,
                s -> new RateLimiter(1, s.minSpacing()), CaisoPriceFeed::newFetcher));
    }

    @Activate
    void activate(BundleContext context, CaisoConfig config) {
        start(FeedRunner.dataArea(context), config);
    }

    void start(Path dataDir, CaisoConfig config) {
        runner.start(dataDir, () -> CaisoSettings.from(config));
    }

    @Modified
    void configure(CaisoConfig config) {
        runner.configure(() -> CaisoSettings.from(config));
    }

    /** The fetcher of one configuration, not started; the same node keeps its cache file. */
    static FeedFetcher newFetcher(CaisoSettings s, Path dataDir, RateLimiter limiter, Clock clock) {
        return new FeedFetcher("CAISO " + s.node(), new CaisoClient(s), s.schedule(), limiter,
                dataDir == null ? null : new PriceCache(dataDir, SOURCE, s.node()), s.healthHorizon(), clock);
    }
}

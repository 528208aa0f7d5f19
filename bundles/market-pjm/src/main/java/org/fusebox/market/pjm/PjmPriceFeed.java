package org.fusebox.market.pjm;

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
 * Day-ahead LMPs of one PJM pnode. A refused configuration keeps the previous one (and its
 * fetcher) running; the reason is logged at ERROR and shown in health ({@link FeedRunner}).
 */
@Component(service = { PriceFeed.class, HealthIndicator.class }, configurationPid = PjmPriceFeed.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, reference = @Reference(name = "eventAdmin",
        service = EventAdmin.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY, bind = "setEventAdmin", unbind = "unsetEventAdmin"),
        property = "fusebox.price.kind=spot")
@Designate(ocd = PjmConfig.class)
public final class PjmPriceFeed extends FeedComponent<PjmSettings> {

    static final String PID = "fusebox.market.pjm";
    static final String SOURCE = "fusebox-market-pjm";

    public PjmPriceFeed() {
        this(Clock.systemUTC());
    }

    PjmPriceFeed(Clock clock) {
        super("market.pjm", new FeedRunner<>(PjmPriceFeed.class, PID, "PJM", "pjm", clock, PjmSettings::id,
                s -> RateLimiter.perMinute(s.maxRequestsPerMinute()), PjmPriceFeed::newFetcher));
    }

    @Activate
    void activate(BundleContext context, PjmConfig config) {
        start(FeedRunner.dataArea(context), config);
    }

    void start(Path dataDir, PjmConfig config) {
        runner.start(dataDir, () -> PjmSettings.from(config));
    }

    @Modified
    void configure(PjmConfig config) {
        runner.configure(() -> PjmSettings.from(config));
    }

    /** The fetcher of one configuration, not started; the same pnode keeps its cache file. */
    static FeedFetcher newFetcher(PjmSettings s, Path dataDir, RateLimiter limiter, Clock clock) {
        String pnode = Long.toString(s.pnodeId());
        return new FeedFetcher("PJM pnode " + pnode, new PjmClient(s, limiter, clock), s.schedule(), limiter,
                dataDir == null ? null : new PriceCache(dataDir, SOURCE, pnode), s.healthHorizon(), clock);
    }
}

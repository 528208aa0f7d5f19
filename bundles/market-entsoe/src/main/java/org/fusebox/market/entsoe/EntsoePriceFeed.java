package org.fusebox.market.entsoe;

import java.nio.file.Path;
import java.time.Clock;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceKind;
import org.fusebox.market.support.FeedComponent;
import org.fusebox.market.support.FeedRunner;
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
 * Day-ahead prices of one bidding zone from the ENTSO-E Transparency Platform. A refused configuration
 * keeps the previous one (and its fetcher) running; the reason is logged at ERROR and shown in health ({@link FeedRunner}).
 */
@Component(service = { PriceFeed.class, HealthIndicator.class }, configurationPid = EntsoePriceFeed.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, reference = @Reference(name = "eventAdmin",
        service = EventAdmin.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY, bind = "setEventAdmin", unbind = "unsetEventAdmin"),
        property = PriceKind.SERVICE_PROPERTY + "=" + PriceKind.SPOT)
@Designate(ocd = EntsoeConfig.class)
public final class EntsoePriceFeed extends FeedComponent<EntsoeSettings> {

    static final String PID = "fusebox.market.entsoe";

    public EntsoePriceFeed() {
        this(Clock.systemUTC());
    }

    EntsoePriceFeed(Clock clock) {
        super("market.entsoe", new FeedRunner<>(EntsoePriceFeed.class, PID, "ENTSO-E", "entsoe", clock, EntsoeSettings::id,
                s -> RateLimiter.perMinute(s.maxRequestsPerMinute()), EntsoeFetcher::feedFetcher));
    }

    @Activate
    void activate(BundleContext context, EntsoeConfig config) {
        start(FeedRunner.dataArea(context), config);
    }

    void start(Path dataDir, EntsoeConfig config) {
        runner.start(dataDir, () -> EntsoeSettings.from(config));
    }

    @Modified
    void configure(EntsoeConfig config) {
        runner.configure(() -> EntsoeSettings.from(config));
    }
}

package org.fusebox.market.support;

import java.time.Instant;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceFeed;
import org.osgi.service.event.EventAdmin;

/**
 * The part of a feed's DS component that is the same for every source: the {@link PriceFeed} and {@link
 * HealthIndicator} methods answered by its {@link FeedRunner}, the EventAdmin bind methods and
 * {@code deactivate}. It carries no DS annotations: bnd reads those per class, so the feed's own class
 * keeps {@code @Component} (naming {@code setEventAdmin}/{@code unsetEventAdmin} in its {@code reference}
 * attribute), {@code @Activate} and {@code @Modified}; SCR finds these public methods on the superclass.
 *
 * @param <S> the feed's checked settings
 */
public abstract class FeedComponent<S> implements PriceFeed, HealthIndicator {

    protected final FeedRunner<S> runner;
    private final String name;

    /** @param name the health indicator's name, e.g. "market.awattar" */
    protected FeedComponent(String name, FeedRunner<S> runner) {
        this.name = name;
        this.runner = runner;
    }

    /** SCR's default deactivate method: stops the fetcher. */
    public void deactivate() {
        runner.stop();
    }

    @Override
    public String id() {
        return runner.id();
    }

    @Override
    public PriceCurve prices(Instant from, Instant to) {
        return runner.prices(from, to);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Health health() {
        return runner.health();
    }

    /** The settings in force, null before one is accepted (for tests and diagnostics). */
    public S settings() {
        return runner.settings();
    }

    /** The fetcher in force, null before a configuration is accepted (for tests and diagnostics). */
    public FeedFetcher fetcher() {
        return runner.fetcher();
    }

    public void setEventAdmin(EventAdmin ea) {
        runner.setEventAdmin(ea);
    }

    public void unsetEventAdmin(EventAdmin ea) {
        runner.unsetEventAdmin(ea);
    }
}

package org.fusebox.optimiser.peakshaving;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.fusebox.api.control.Optimiser;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.site.SiteSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the average grid import over each billing interval under the contracted peak. SAFETY tier: a
 * contractual limit that prices and deadlines must not override, below the physical limits (the fuse
 * optimiser and the SafetyGuard run after it and may only cut further). See the README for why.
 *
 * <p>It needs a peak: without one there is nothing to keep under, so it changes nothing and its health
 * says what to set (rather than the component silently not existing until configured).
 */
@Component(service = { Optimiser.class, HealthIndicator.class }, configurationPid = PeakShaving.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = PeakShavingConfig.class)
public final class PeakShaving implements Optimiser, HealthIndicator {

    static final String PID = "fusebox.optimiser.peakshaving";

    /**
     * Even with every EV paused and every battery discharging as far as it may, the interval will end above
     * the peak. Posted once per interval. Properties: {@link #INTERVAL_START}, {@link #PEAK_KW},
     * {@link #PROJECTED_KW}, {@link #UNCONTROLLABLE_KW}, {@link FuseboxEvents#REASON}.
     */
    public static final String PEAK_UNAVOIDABLE = "fusebox/peakshaving/PEAK_UNAVOIDABLE";
    /**
     * An interval ended with its average import above the peak. Properties: {@link #INTERVAL_START},
     * {@link #PEAK_KW}, {@link #AVERAGE_KW}, {@link #COMPLETE} (false when part of it was not measured).
     */
    public static final String PEAK_EXCEEDED = "fusebox/peakshaving/PEAK_EXCEEDED";

    public static final String INTERVAL_START = "intervalStart";
    public static final String PEAK_KW = "peakKw";
    public static final String PROJECTED_KW = "projectedKw";
    public static final String UNCONTROLLABLE_KW = "uncontrollableKw";
    public static final String AVERAGE_KW = "averageKw";
    public static final String COMPLETE = "complete";

    private static final Logger LOG = LoggerFactory.getLogger(PeakShaving.class);

    private final PeakShaver shaver = new PeakShaver();
    private volatile PeakShavingSettings settings;
    private volatile String configError;
    private volatile EventAdmin eventAdmin;

    // Cycle state: touched by the control cycle only; health reads the volatile summaries.
    private IntervalMeter meter;
    private BillingIntervals meterIntervals;
    private Duration meterPeriod;
    private Instant warnedFor;
    private volatile IntervalMeter.Interval lastExceeded;
    private volatile String lastUnavoidable;
    private volatile PeakReserve reserve = PeakReserve.NONE;

    static final String NOT_CONFIGURED = "not configured: set peakKw (the contracted peak, kW) in etc/" + PID
            + ".cfg or with config:property-set -p " + PID + " peakKw <kW>; until then peak shaving changes nothing";

    private volatile boolean configured;

    /**
     * Named apart from {@link #configure(PeakShavingConfig)}: with two methods of one name SCR picks the
     * one-argument one and would never see that {@code peakKw} is missing.
     */
    @Activate
    @Modified
    void activate(PeakShavingConfig config, Map<String, Object> properties) {
        if (!properties.containsKey("peakKw")) {
            // no peak at all, as after feature:install with no file: not an error, but nothing is kept under
            settings = null;
            configured = false;
            configError = null;
            LOG.warn("Peak shaving is {}", NOT_CONFIGURED);
            return;
        }
        configured = true;
        configure(config);
    }

    void configure(PeakShavingConfig config) {
        configured = true;
        try {
            settings = PeakShavingSettings.from(config);
            configError = null;
        } catch (IllegalArgumentException e) {
            configError = "configuration " + PID + " refused, " + (settings == null ? "peak shaving is off until a valid one arrives: "
                    : "previous one stays in force: ") + e.getMessage();
            LOG.error(configError);
            post(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage()));
        }
    }

    PeakShavingSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "peak-shaving";
    }

    @Override
    public Tier tier() {
        return Tier.SAFETY;
    }

    @Override
    public synchronized Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
        PeakShavingSettings s = settings;
        if (s == null || site.grid() == null || site.grid().reading() == null) {
            return proposal; // no measurement: the core holds failsafe; the count resumes with the next reading
        }
        IntervalMeter m = meterFor(s, site.limits().cyclePeriod(), site.zone());
        MeterReading reading = site.grid().reading();
        Instant now = site.timestamp();
        IntervalMeter.Update u = m.update(now, reading.power().watts(), reading.importedTotal().wattHours());
        if (u.closed() != null) {
            closed(u.closed(), s);
        }
        IntervalMeter.Interval current = u.current();
        Duration length = Duration.between(current.start(), current.end());
        Duration left = Duration.between(now, current.end());
        PeakReserve r = PeakReserve.plan(site, s, meterIntervals, current.end(), s.targetWatts());
        reserve = r;
        PeakShaver.Decision d = shaver.decide(site, proposal, s, current.wattHours(), length, left, r);

        double hoursLeft = left.toNanos() / 3.6e12;
        double projectedW = (current.wattHours() + Math.max(0, d.lowestW()) * hoursLeft) * 3.6e12 / length.toNanos();
        if (projectedW > s.peakWatts() && !current.start().equals(warnedFor)) {
            warnedFor = current.start();
            String why = String.format(Locale.ROOT,
                    "interval from %s will average at least %.1f kW over the %.1f kW peak: %.1f kWh imported so far, "
                            + "%.1f kW the site draws with every EV paused and batteries discharging",
                    current.start(), projectedW / 1000, s.peakKw(), current.wattHours() / 1000, d.lowestW() / 1000);
            lastUnavoidable = why;
            LOG.warn(why);
            Map<String, Object> props = new HashMap<>();
            props.put(INTERVAL_START, current.start().toString());
            props.put(PEAK_KW, s.peakKw());
            props.put(PROJECTED_KW, projectedW / 1000);
            props.put(UNCONTROLLABLE_KW, d.lowestW() / 1000);
            props.put(FuseboxEvents.REASON, why);
            post(PEAK_UNAVOIDABLE, props);
        }
        return d.setpoints();
    }

    private IntervalMeter meterFor(PeakShavingSettings s, Duration cyclePeriod, java.time.ZoneId siteZone) {
        BillingIntervals intervals = new BillingIntervals(s.interval(), s.zone() != null ? s.zone() : siteZone);
        if (meter == null || !intervals.equals(meterIntervals) || !cyclePeriod.equals(meterPeriod)) {
            // A new interval grid makes the old count meaningless: start afresh (the interval is joined late).
            meter = new IntervalMeter(intervals, maxGap(cyclePeriod));
            meterIntervals = intervals;
            meterPeriod = cyclePeriod;
        }
        return meter;
    }

    /** Steps longer than this that cross a boundary are taken as a gap in the measurement, not a normal cycle. */
    static Duration maxGap(Duration cyclePeriod) {
        Duration tenCycles = cyclePeriod.multipliedBy(10);
        Duration floor = Duration.ofSeconds(30);
        return tenCycles.compareTo(floor) > 0 ? tenCycles : floor;
    }

    private void closed(IntervalMeter.Interval interval, PeakShavingSettings s) {
        lastUnavoidable = null;
        if (interval.averageWatts() > s.peakWatts()) {
            lastExceeded = interval;
            String why = String.format(Locale.ROOT, "interval from %s averaged %.2f kW over the %.1f kW peak%s",
                    interval.start(), interval.averageWatts() / 1000, s.peakKw(), interval.complete() ? "" : " (partly estimated)");
            LOG.warn(why);
            Map<String, Object> props = new HashMap<>();
            props.put(INTERVAL_START, interval.start().toString());
            props.put(PEAK_KW, s.peakKw());
            props.put(AVERAGE_KW, interval.averageWatts() / 1000);
            props.put(COMPLETE, interval.complete());
            props.put(FuseboxEvents.REASON, why);
            post(PEAK_EXCEEDED, props);
        } else {
            lastExceeded = null;
        }
    }

    /** What the forecast peaks asked of the batteries in the last cycle, for tests and the shell. */
    PeakReserve reserve() {
        return reserve;
    }

    /** The interval running now, for tests and the shell; {@code null} before the first reading. */
    synchronized IntervalMeter.Interval currentInterval() {
        return meter == null ? null : meter.current();
    }

    @Override
    public Health health() {
        if (!configured) {
            return Health.degraded(NOT_CONFIGURED);
        }
        String e = configError;
        if (e != null) {
            return Health.degraded(e);
        }
        String unavoidable = lastUnavoidable;
        if (unavoidable != null) {
            return Health.degraded(unavoidable);
        }
        IntervalMeter.Interval exceeded = lastExceeded;
        if (exceeded != null) {
            PeakShavingSettings s = settings;
            return Health.degraded(String.format(Locale.ROOT, "the last interval (from %s) averaged %.2f kW, over the %.1f kW peak",
                    exceeded.start(), exceeded.averageWatts() / 1000, s == null ? Double.NaN : s.peakKw()));
        }
        return Health.up();
    }

    private void post(String topic, Map<String, ?> props) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, props));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void unsetEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }
}

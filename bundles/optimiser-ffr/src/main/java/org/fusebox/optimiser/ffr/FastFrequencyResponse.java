package org.fusebox.optimiser.ffr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.Optimiser;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.ReadingListener;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.SiteSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
 * Fast frequency response by droop: outside a dead band around the nominal frequency, batteries discharge on
 * under-frequency and charge on over-frequency in proportion to the deviation, and the chargers allowed to
 * respond are turned down on under-frequency.
 *
 * <p>PHYSICAL tier, ranked above the fuse optimiser: it has the last word over every economic and safety-tier
 * plan (peak shaving included), while the fuse optimiser and the core's SafetyGuard still run after it and may
 * only cut. See the README for why.
 *
 * <p>It listens to every grid meter and asks the control loop for a cycle as soon as a reading's frequency
 * leaves or re-enters the dead band or moves the response by more than a step, so the response does not wait
 * for the next period.
 */
@Component(service = { Optimiser.class, HealthIndicator.class }, configurationPid = FastFrequencyResponse.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        property = "service.ranking:Integer=" + FastFrequencyResponse.RANKING)
@Designate(ocd = FfrConfig.class)
public final class FastFrequencyResponse implements Optimiser, HealthIndicator {

    static final String PID = "fusebox.optimiser.ffr";
    /** Above the fuse optimiser's 0, so that within the PHYSICAL tier the fuse is shared after the response. */
    static final int RANKING = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(FastFrequencyResponse.class);

    private final FrequencyWatch watch = new FrequencyWatch();
    private final Map<GridMeter, ReadingListener> listeners = new ConcurrentHashMap<>();
    private volatile FfrSettings settings = FfrSettings.DEFAULTS;
    private volatile String configError;
    private volatile ControlLoop loop;
    private volatile EventAdmin eventAdmin;
    /** What the last cycle did, for health; written by the cycle only. */
    private volatile String lastState = "no cycle yet";
    private volatile boolean lastHadFrequency = true;

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        try {
            FfrSettings s = FfrSettings.from(properties);
            settings = s;
            configError = null;
            LOG.info("Frequency response: {}", s);
        } catch (IllegalArgumentException e) {
            configError = "configuration " + PID + " refused, the previous one stays in force (" + settings + "): "
                    + e.getMessage();
            LOG.error(configError);
            post(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage()));
        }
    }

    @Deactivate
    void deactivate() {
        listeners.forEach((meter, l) -> safely(() -> meter.removeReadingListener(l)));
        listeners.clear();
    }

    FfrSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "ffr";
    }

    @Override
    public Tier tier() {
        return Tier.PHYSICAL;
    }

    @Override
    public Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
        FfrSettings s = settings;
        OptionalDouble hz = frequency(site, s.maxReadingAge());
        if (hz.isEmpty()) {
            lastHadFrequency = false;
            lastState = "no fresh grid frequency: the batteries follow the plan";
            return Setpoints.empty();
        }
        lastHadFrequency = true;
        double r = Droop.response(hz.getAsDouble(), s);
        FrequencyResponse.Decision d = FrequencyResponse.decide(site, proposal, s, r);
        lastState = String.format(Locale.ROOT, "%.3f Hz, response %.0f %%, batteries %+.1f kW on the plan%s", hz.getAsDouble(),
                r * 100, d.batteryOffset().watts() / 1000, d.notes().isEmpty() ? "" : " (" + String.join("; ", d.notes()) + ")");
        return d.setpoints();
    }

    /** The snapshot's grid frequency when the meter is online, measures it and its reading is fresh enough. */
    static OptionalDouble frequency(SiteSnapshot site, Duration maxAge) {
        GridState g = site.grid();
        if (g == null || g.reading() == null || !g.status().isOnline()) {
            return OptionalDouble.empty();
        }
        MeterReading r = g.reading();
        // Drivers stamp readings with the gateway's clock (Modbus) or the site's (an in-process meter), and the site's
        // clock runs faster in a simulation: a reading is fresh when it is young on either.
        boolean youngOnSiteClock = Duration.between(r.timestamp(), site.timestamp()).compareTo(maxAge) <= 0;
        boolean youngOnGatewayClock = Duration.between(r.timestamp(), Instant.now()).compareTo(maxAge) <= 0;
        if (g.status().stale() || !youngOnSiteClock && !youngOnGatewayClock) {
            return OptionalDouble.empty();
        }
        return r.frequency();
    }

    @Override
    public Health health() {
        String e = configError;
        if (e != null) {
            return Health.degraded(e);
        }
        if (!lastHadFrequency) {
            return Health.degraded(lastState + " (does the grid meter measure the frequency? "
                    + "a Modbus meter needs a frequency point polled every time)");
        }
        return new Health(HealthStatus.UP, List.of(lastState));
    }

    // ---- the fast path -------------------------------------------------------------------------------

    void onReading(Device device) {
        if (!(device instanceof GridMeter meter)) {
            return;
        }
        Optional<MeterReading> r;
        try {
            r = meter.reading();
        } catch (RuntimeException e) {
            return;
        }
        if (r.isEmpty()) {
            return;
        }
        Optional<String> reason = watch.onReading(meter.id(), r.get().frequencyHz(), settings);
        ControlLoop l = loop;
        if (reason.isPresent() && l != null) {
            l.requestCycle(reason.get());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addGridMeter(GridMeter meter) {
        ReadingListener l = this::onReading;
        listeners.put(meter, l);
        safely(() -> meter.addReadingListener(l));
    }

    void removeGridMeter(GridMeter meter) {
        ReadingListener l = listeners.remove(meter);
        if (l != null) {
            safely(() -> meter.removeReadingListener(l));
        }
        safely(() -> watch.forget(meter.id()));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setControlLoop(ControlLoop loop) {
        this.loop = loop;
    }

    void unsetControlLoop(ControlLoop loop) {
        if (this.loop == loop) {
            this.loop = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void unsetEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }

    private void post(String topic, Map<String, ?> props) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, props));
        }
    }

    /** A device that is being uninstalled may throw; it must not stop the others. */
    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("Ignored while a grid meter came or went: {}", e.toString());
        }
    }
}

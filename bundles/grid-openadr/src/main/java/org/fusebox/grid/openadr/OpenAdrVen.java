package org.fusebox.grid.openadr;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalSource;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
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
 * An OpenADR 3 VEN: a {@link GridSignalSource} of the events of one VTN, and a {@link HealthIndicator}
 * named {@code grid.openadr}. A refused configuration keeps the previous one (and its session) running; the
 * reason is logged at ERROR, posted as {@code fusebox/config/REJECTED} and shown first in health. An accepted
 * one starts a new session that keeps the signals of the old one until its own first successful poll, so a
 * reconfiguration never lifts a limit. The reports the events ask for are made of the site's measurements,
 * sampled from the control loop's last cycle (an optional, dynamic reference: without it reports wait and
 * health says why).
 */
@Component(service = { GridSignalSource.class, HealthIndicator.class }, configurationPid = OpenAdrVen.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = OpenAdrConfig.class)
public final class OpenAdrVen implements GridSignalSource, HealthIndicator {

    static final String PID = "fusebox.grid.openadr";
    private static final Logger LOG = LoggerFactory.getLogger(OpenAdrVen.class);

    private final Clock clock;
    private volatile VenSession session;
    private volatile String configError;
    private volatile EventAdmin eventAdmin;
    private volatile ControlLoop controlLoop;
    private final SiteSamples samples;

    public OpenAdrVen() {
        this(Clock.systemUTC());
    }

    OpenAdrVen(Clock clock) {
        this.clock = clock;
        this.samples = new SiteSamples(clock, () -> {
            ControlLoop loop = controlLoop;
            return loop == null ? Optional.empty() : loop.lastCycle();
        });
    }

    @Activate
    void activate(OpenAdrConfig config) {
        configure(config);
    }

    @Modified
    void modified(OpenAdrConfig config) {
        configure(config);
    }

    /** Applies a configuration whole, or refuses it and keeps the one in force; returns whether it was accepted. */
    synchronized boolean configure(OpenAdrConfig config) {
        return apply(() -> OpenAdrSettings.from(config), true);
    }

    /** For tests: like {@link #configure} but the session's thread is not started (tests poll by hand). */
    synchronized boolean configureWithoutThread(OpenAdrConfig config) {
        return apply(() -> OpenAdrSettings.from(config), false);
    }

    private boolean apply(Supplier<OpenAdrSettings> check, boolean startThread) {
        OpenAdrSettings next;
        try {
            next = check.get();
        } catch (IllegalArgumentException e) {
            refuse(e.getMessage());
            return false;
        }
        configError = null;
        VenSession old = session;
        // the same VEN keeps its known signals through a reconfiguration; another VEN is another source
        List<GridSignal> inherited = old != null && old.settings().sourceId().equals(next.sourceId()) ? old.signals() : List.of();
        if (old != null) {
            old.stop();
        }
        Reporter.Ledger reported = old != null && old.settings().sourceId().equals(next.sourceId())
                && old.settings().vtnUrl().equals(next.vtnUrl()) ? old.reported() : null;
        VenSession s = new VenSession(next, clock, inherited, samples, reported);
        session = s;
        if (startThread) {
            s.start();
        }
        LOG.info("OpenADR VEN configured: {}", next);
        return true;
    }

    private void refuse(String reason) {
        VenSession current = session;
        configError = "configuration " + PID + " refused" + (current == null ? ""
                : ", the previous one (" + current.settings() + ") stays in force") + ": " + reason;
        LOG.error(configError);
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, reason)));
        }
    }

    @Deactivate
    synchronized void deactivate() {
        VenSession s = session;
        if (s != null) {
            s.stop();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetEventAdmin")
    void setEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void unsetEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }

    /** The control core, whose last cycle holds the measurements reports are made of; reports wait without it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetControlLoop")
    void setControlLoop(ControlLoop loop) {
        controlLoop = loop;
    }

    void unsetControlLoop(ControlLoop loop) {
        if (controlLoop == loop) {
            controlLoop = null;
        }
    }

    /** The site's measurements as sampled for reports (tests sample by hand). */
    SiteSamples samples() {
        return samples;
    }

    @Override
    public String id() {
        VenSession s = session;
        return s == null ? "openadr" : s.settings().sourceId();
    }

    @Override
    public List<GridSignal> signals() {
        VenSession s = session;
        return s == null ? List.of() : s.signals();
    }

    @Override
    public String name() {
        return "grid.openadr";
    }

    @Override
    public Health health() {
        VenSession s = session;
        String error = configError;
        if (s == null) {
            return Health.degraded(error == null ? "not configured" : error);
        }
        Health h = s.health();
        if (error == null) {
            return h;
        }
        java.util.ArrayList<String> details = new java.util.ArrayList<>();
        details.add(error);
        details.addAll(h.details());
        return new Health(h.status().worst(org.fusebox.api.health.HealthStatus.DEGRADED), details);
    }

    /** The session in force, null before a configuration is accepted (tests, diagnostics). */
    VenSession session() {
        return session;
    }
}

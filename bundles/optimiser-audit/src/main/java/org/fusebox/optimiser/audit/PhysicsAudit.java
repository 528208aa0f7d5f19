package org.fusebox.optimiser.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.control.Optimiser;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.SiteSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
 * Audits every charging session against physics: the energy a charger says it dispensed, against what the
 * EV's battery gained and what the grid meter saw. PHYSICAL tier so it sees the cycle last, but it changes
 * nothing: {@link #optimise} returns the proposal as it came.
 */
@Component(service = { Optimiser.class, HealthIndicator.class }, configurationPid = PhysicsAudit.PID, immediate = true)
@Designate(ocd = AuditConfig.class)
public final class PhysicsAudit implements Optimiser, HealthIndicator {

    static final String PID = "fusebox.optimiser.audit";

    /**
     * A session's dispensed energy differs from a reference by more than the threshold. Posted at most twice
     * per session: once when it first crosses mid-session ({@link #FINAL} false), once when it ends.
     * Properties: {@link #SESSION_ID}, {@link FuseboxEvents#DEVICE} (the charger), {@link #CONNECTOR},
     * {@link #DISPENSED_KWH}, {@link #RECEIVED_KWH} and {@link #SITE_KWH} (absent when unknown),
     * {@link #VARIANCE_PERCENT}, {@link #BASIS} ({@code ev} or {@code site}), {@link #FINAL},
     * {@link FuseboxEvents#REASON}.
     */
    public static final String VARIANCE = "fusebox/audit/VARIANCE";

    public static final String SESSION_ID = "sessionId";
    public static final String CONNECTOR = "connector";
    public static final String DISPENSED_KWH = "dispensedKwh";
    public static final String RECEIVED_KWH = "receivedKwh";
    public static final String SITE_KWH = "siteKwh";
    public static final String VARIANCE_PERCENT = "variancePercent";
    public static final String BASIS = "basis";
    public static final String FINAL = "final";

    /** Findings stay in the health report this long (site time). */
    static final Duration SHOWN_FOR = Duration.ofHours(24);
    static final int SHOWN_AT_MOST = 20;

    private static final Logger LOG = LoggerFactory.getLogger(PhysicsAudit.class);

    private final SiteAudit audit = new SiteAudit();
    private volatile AuditSettings settings = AuditSettings.DEFAULTS;
    private volatile String configError;
    private volatile EventAdmin eventAdmin;
    /** One line of the health report; {@code fault} lines make it DEGRADED, the others are notes. */
    private record Line(Instant at, String text, boolean fault) {
    }

    private final ArrayDeque<Line> recent = new ArrayDeque<>();

    @Activate
    @Modified
    void configure(AuditConfig config) {
        try {
            settings = AuditSettings.from(config);
            configError = null;
        } catch (IllegalArgumentException e) {
            configError = "configuration " + PID + " refused, previous one stays in force: " + e.getMessage();
            LOG.error(configError);
            post(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage()));
        }
    }

    AuditSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public Tier tier() {
        return Tier.PHYSICAL;
    }

    @Override
    public Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
        SiteAudit.Outcome outcome;
        synchronized (audit) {
            outcome = audit.observe(site, settings);
        }
        for (Finding f : outcome.findings()) {
            publish(f);
            remember(new Line(f.at(), f.describe(), true));
        }
        for (String n : outcome.notJudged()) {
            LOG.info(n);
            // A site with nothing to judge against (no EV capacity over OCPP, a busy depot) is a limit of
            // what it can see, not a fault: noted, not DEGRADED. Counters that restarted are a data fault.
            remember(new Line(site.timestamp(), n, !n.contains(SessionLedger.NO_REFERENCE)));
        }
        forgetBefore(site.timestamp().minus(SHOWN_FOR));
        return proposal;
    }

    private void publish(Finding f) {
        String text = f.describe();
        LOG.warn(text);
        Map<String, Object> props = new HashMap<>();
        props.put(SESSION_ID, f.sessionId());
        props.put(FuseboxEvents.DEVICE, f.connector().chargerId());
        props.put(CONNECTOR, f.connector().connectorId());
        props.put(DISPENSED_KWH, f.dispensedKwh());
        if (!Double.isNaN(f.receivedKwh())) {
            props.put(RECEIVED_KWH, f.receivedKwh());
        }
        if (!Double.isNaN(f.siteKwh())) {
            props.put(SITE_KWH, f.siteKwh());
        }
        props.put(VARIANCE_PERCENT, f.variancePercent());
        props.put(BASIS, f.basis());
        props.put(FINAL, f.finalFinding());
        props.put(FuseboxEvents.REASON, text);
        post(VARIANCE, props);
    }

    private synchronized void remember(Line line) {
        recent.addLast(line);
        while (recent.size() > SHOWN_AT_MOST) {
            recent.removeFirst();
        }
    }

    private synchronized void forgetBefore(Instant cutoff) {
        while (!recent.isEmpty() && recent.peekFirst().at().isBefore(cutoff)) {
            recent.removeFirst();
        }
    }

    /**
     * DEGRADED while there are findings (or sessions whose counters restarted unbridged) of the last 24 hours
     * (site time), listed newest last; UP otherwise, with the sessions it had nothing to judge against as notes.
     */
    @Override
    public Health health() {
        List<String> details = new ArrayList<>();
        boolean fault = false;
        String e = configError;
        if (e != null) {
            details.add(e);
            fault = true;
        }
        synchronized (this) {
            for (Line l : recent) {
                details.add(l.text());
                fault |= l.fault();
            }
        }
        return new Health(fault ? HealthStatus.DEGRADED : HealthStatus.UP, details);
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

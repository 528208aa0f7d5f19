package org.fusebox.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fusebox.api.health.HealthStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the reports the events ask for ({@code POST /reports}), each once, after a successful poll. A report
 * the VTN accepts (2xx, or 409: it has it already) is done; one it refuses (another 4xx but 429) is logged
 * with the VTN's reason, counted and not sent again; a VTN that fails (5xx, 429, no answer, a timeout) gets
 * the report again at the next poll. A report with nothing measured is not sent, and said why.
 */
final class Reporter {

    private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);
    private static final int RECENT = 5;

    /** What a session has reported; handed on to the next session of the same VEN so nothing is sent twice. */
    static final class Ledger {
        private final Set<String> done = new HashSet<>();
        private final Deque<String> skipReasons = new ArrayDeque<>();
        private int sent;
        private int refused;
        private int skipped;
        private String lastRefusal;
        private boolean lastRefused;
        private String pendingFailure;
        private int pending;
        private List<String> unsupported = List.of();
        private List<String> waiting = List.of();
        private String gap;
        private int requested;
    }

    private final String venName;
    private final VtnClient client;
    private final ReportPlanner planner;
    private final SiteSamples samples;
    private final Clock clock;
    private final Ledger ledger;

    Reporter(String venName, VtnClient client, ReportPlanner planner, SiteSamples samples, Clock clock, Ledger ledger) {
        this.venName = venName;
        this.client = client;
        this.planner = planner;
        this.samples = samples;
        this.clock = clock;
        this.ledger = ledger == null ? new Ledger() : ledger;
    }

    Ledger ledger() {
        return ledger;
    }

    /** Plans and sends the reports due for these events (event JSON to its mapping). */
    void report(List<Map.Entry<JsonNode, MappedEvent>> events) throws InterruptedException {
        Instant now = clock.instant();
        List<ReportPlanner.Due> due = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        Set<String> eventIds = new HashSet<>();
        int requested = 0;
        synchronized (ledger) {
            for (Map.Entry<JsonNode, MappedEvent> e : events) {
                eventIds.add(e.getValue().eventId() + "/");
                ReportPlanner.Plan plan = planner.plan(e.getKey(), e.getValue(), ledger.done::contains, now,
                        iv -> samples.between(iv.start(), iv.end()));
                requested += plan.requested();
                due.addAll(plan.due());
                unsupported.addAll(plan.unsupported());
                waiting.addAll(plan.waiting());
                for (ReportPlanner.Skipped s : plan.skipped()) {
                    ledger.done.add(s.key());
                    ledger.skipped++;
                    recent(ledger.skipReasons, s.reason());
                    LOG.warn("OpenADR VEN {}: report not sent, {}", venName, s.reason());
                }
            }
            // an event that is gone takes its reports with it
            ledger.done.removeIf(k -> eventIds.stream().noneMatch(k::startsWith));
            if (!unsupported.equals(ledger.unsupported)) {
                unsupported.stream().filter(u -> !ledger.unsupported.contains(u))
                        .forEach(u -> LOG.warn("OpenADR VEN {}: report not served, {}", venName, u));
            }
            ledger.unsupported = List.copyOf(unsupported);
            ledger.waiting = List.copyOf(waiting);
            ledger.requested = requested;
            ledger.gap = requested > 0 ? samples.gap() : null;
            ledger.pendingFailure = null;
            ledger.pending = 0;
        }
        for (int i = 0; i < due.size(); i++) {
            ReportPlanner.Due d = due.get(i);
            try {
                client.post("/reports", d.body());
                synchronized (ledger) {
                    ledger.done.add(d.key());
                    ledger.sent++;
                    ledger.lastRefused = false;
                    if (!d.gaps().isEmpty()) {
                        recent(ledger.skipReasons, d.about() + ": sent without " + String.join("; ", d.gaps()));
                    }
                }
                LOG.info("OpenADR VEN {}: report sent, {}", venName, d.about());
            } catch (VtnException e) {
                int status = e.status();
                synchronized (ledger) {
                    if (status == 409) {
                        ledger.done.add(d.key()); // the VTN has it already
                        continue;
                    }
                    if (status >= 400 && status < 500 && status != 429) {
                        ledger.done.add(d.key());
                        ledger.refused++;
                        ledger.lastRefused = true;
                        ledger.lastRefusal = clock.instant() + ", " + d.about() + ": " + e.getMessage();
                        LOG.warn("OpenADR VEN {}: the VTN refused a report, not sent again: {}: {}", venName, d.about(), e.getMessage());
                        continue;
                    }
                    // the VTN fails: this one and the rest wait for the next poll
                    ledger.pending = due.size() - i;
                    ledger.pendingFailure = e.getMessage();
                }
                LOG.warn("OpenADR VEN {}: {} report(s) wait for the next poll: {}", venName, due.size() - i, e.getMessage());
                return;
            }
        }
    }

    private static void recent(Deque<String> q, String s) {
        q.remove(s);
        q.addLast(s);
        while (q.size() > RECENT) {
            q.removeFirst();
        }
    }

    /** The reports' part of health: adds details, returns the status it asks for. */
    HealthStatus health(List<String> details) {
        synchronized (ledger) {
            Ledger l = ledger;
            if (l.requested == 0 && l.sent == 0 && l.refused == 0 && l.skipped == 0 && l.unsupported.isEmpty()) {
                return HealthStatus.UP;
            }
            HealthStatus status = HealthStatus.UP;
            details.add("reports: " + l.requested + " asked for by the events known, " + l.sent + " sent, " + l.refused
                    + " refused by the VTN, " + l.skipped + " not sent for lack of measurements");
            if (l.pendingFailure != null) {
                status = HealthStatus.DEGRADED;
                details.add(l.pending + " report(s) wait for the next poll: " + l.pendingFailure);
            }
            if (l.lastRefusal != null) {
                if (l.lastRefused) {
                    status = HealthStatus.DEGRADED;
                }
                details.add("last report refused at " + l.lastRefusal);
            }
            if (!l.unsupported.isEmpty()) {
                details.add(l.unsupported.size() + " report descriptor(s) not served:");
                details.addAll(l.unsupported);
            }
            details.addAll(l.waiting);
            if (l.gap != null) {
                details.add("measurements for reports: " + l.gap);
            }
            details.addAll(new LinkedHashSet<>(l.skipReasons));
            return status;
        }
    }
}

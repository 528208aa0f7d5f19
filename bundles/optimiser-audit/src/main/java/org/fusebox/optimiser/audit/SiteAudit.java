package org.fusebox.optimiser.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;

/**
 * Watches every charging session across cycles and judges it at its end (and once mid-session when it is
 * already clearly off). Each cycle it works out, per step between two snapshots:
 * <ul>
 * <li>each connector's energy: its register's increase, else its power x time;</li>
 * <li>the grid's net import: the import register less the export register, else power x time; PV
 * production likewise from its register; the battery from power x time;</li>
 * <li>the site's own load (everything not accounted for): net import + PV − battery − all connectors.</li>
 * </ul>
 * A session's site figure is the sum, over its steps, of net import + PV − battery − the other
 * connectors − the site's own load as it was before the session (averaged over the baseline window). Not
 * thread-safe: the control cycle is its only caller.
 */
final class SiteAudit {

    /** A step longer than this is a gap: the site balance over it is not trusted. */
    static final Duration MAX_STEP = Duration.ofMinutes(5);
    /** A session not seen for this long (its charger gone) is closed with what was counted. */
    static final Duration LOST_AFTER = Duration.ofHours(1);

    private record Step(Instant end, double wh, double hours) {
    }

    private final Map<ConnectorRef, SessionLedger> sessions = new HashMap<>();
    private final Map<ConnectorRef, Double> lastConnectorRegister = new HashMap<>();
    private final Map<String, Double> lastPvRegister = new HashMap<>();
    private final ArrayDeque<Step> ownLoad = new ArrayDeque<>();
    private Instant lastTime;
    private double lastImport = Double.NaN;
    private double lastExport = Double.NaN;

    /** What one cycle concluded: findings to publish and sessions that ended without a judgement. */
    record Outcome(List<Finding> findings, List<String> notJudged) {
    }

    Outcome observe(SiteSnapshot site, AuditSettings settings) {
        Instant now = site.timestamp();
        List<Finding> findings = new ArrayList<>();
        List<String> notJudged = new ArrayList<>();
        Duration step = lastTime == null ? null : Duration.between(lastTime, now);
        boolean usable = step != null && !step.isNegative() && !step.isZero() && step.compareTo(MAX_STEP) <= 0
                && site.grid() != null && site.grid().reading() != null;
        double hours = usable ? step.toNanos() / 3.6e12 : 0;

        // Energies of this step.
        Map<ConnectorRef, Double> connectorWh = new HashMap<>();
        double connectorsWh = 0;
        for (ChargerState c : site.chargers()) {
            if (c.reading() == null) {
                continue;
            }
            for (ConnectorReading r : c.reading().connectors()) {
                ConnectorRef ref = new ConnectorRef(c.id(), r.connectorId());
                double register = r.meterTotal().wattHours();
                Double last = lastConnectorRegister.put(ref, register);
                if (usable) {
                    double wh = register > 0 && last != null && last > 0 && register >= last
                            ? register - last : Math.max(0, r.power().watts()) * hours;
                    connectorWh.put(ref, wh);
                    connectorsWh += wh;
                }
            }
        }
        double gridWh = 0;
        double pvWh = 0;
        double batteryWh = 0;
        if (site.grid() != null && site.grid().reading() != null) {
            MeterReading m = site.grid().reading();
            double imp = m.importedTotal().wattHours();
            double exp = m.exportedTotal().wattHours();
            if (usable) {
                boolean registers = imp > 0 && lastImport > 0 && imp >= lastImport && exp >= lastExport;
                gridWh = registers ? (imp - lastImport) - (exp - lastExport) : m.power().watts() * hours;
            }
            lastImport = imp;
            lastExport = exp;
        }
        for (PvState pv : site.pv()) {
            PvReading r = pv.reading();
            if (r == null) {
                continue;
            }
            double register = r.producedTotal().wattHours();
            Double last = lastPvRegister.put(pv.id(), register);
            if (usable) {
                pvWh += register > 0 && last != null && last > 0 && register >= last
                        ? register - last : Math.max(0, r.power().watts()) * hours;
            }
        }
        for (BatteryState b : site.batteries()) {
            if (b.reading() != null && usable) {
                batteryWh += b.reading().power().watts() * hours;
            }
        }
        double siteSideWh = gridWh + pvWh - batteryWh;
        if (usable) {
            ownLoad.addLast(new Step(now, siteSideWh - connectorsWh, hours));
            while (!ownLoad.isEmpty() && ownLoad.peekFirst().end().isBefore(now.minus(settings.baseline()))) {
                ownLoad.removeFirst();
            }
        } else {
            ownLoad.clear(); // a gap: the baseline starts over
        }

        // Sessions.
        for (ChargerState c : site.chargers()) {
            if (c.reading() == null) {
                continue; // a charger without a reading may be rebooting: its session waits
            }
            for (ConnectorReading r : c.reading().connectors()) {
                ConnectorRef ref = new ConnectorRef(c.id(), r.connectorId());
                SessionLedger ledger = sessions.get(ref);
                if (ledger != null && (r.session() == null || !r.session().sessionId().equals(ledger.sessionId))) {
                    close(ledger, settings, now, findings, notJudged);
                    sessions.remove(ref);
                    ledger = null;
                }
                if (r.session() == null) {
                    continue;
                }
                if (ledger == null) {
                    sessions.put(ref, new SessionLedger(ref, r, now, baselineW(now, settings)));
                    continue; // counting starts from here
                }
                ledger.dispensed(r, now);
            }
        }
        for (Iterator<SessionLedger> it = sessions.values().iterator(); it.hasNext();) {
            SessionLedger ledger = it.next();
            if (ledger.firstSeen.equals(now)) {
                continue;
            }
            if (usable) {
                double own = connectorWh.getOrDefault(ledger.connector, 0.0);
                double others = connectorsWh - own;
                ledger.site(siteSideWh - others, Math.abs(others) + Math.abs(pvWh) + Math.abs(batteryWh), hours);
            } else {
                ledger.siteGap();
            }
            if (Duration.between(ledger.lastSeen, now).compareTo(LOST_AFTER) > 0) {
                close(ledger, settings, now, findings, notJudged);
                it.remove();
            } else if (!ledger.reportedMidSession && ledger.lastSeen.equals(now)) {
                Finding f = ledger.judge(settings, now, false);
                if (f != null) {
                    ledger.reportedMidSession = true;
                    findings.add(f);
                }
            }
        }
        lastTime = now;
        return new Outcome(findings, notJudged);
    }

    private static void close(SessionLedger ledger, AuditSettings settings, Instant now, List<Finding> findings,
            List<String> notJudged) {
        Finding f = ledger.judge(settings, now, true);
        if (f != null) {
            findings.add(f);
            return;
        }
        String why = ledger.notJudged(settings);
        if (why != null) {
            notJudged.add(now + " " + ledger.connector + " session " + ledger.sessionId + " not judged: " + why);
        }
    }

    /** The site's own load averaged over the baseline window, {@code NaN} when less than the window was watched. */
    private double baselineW(Instant now, AuditSettings settings) {
        double wh = 0;
        double hours = 0;
        for (Step s : ownLoad) {
            wh += s.wh();
            hours += s.hours();
        }
        double wanted = settings.baseline().toNanos() / 3.6e12;
        return hours >= wanted * 0.9 ? wh / hours : Double.NaN;
    }

    int openSessions() {
        return sessions.size();
    }
}

package org.fusebox.optimiser.audit;

import java.time.Instant;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.EvSession;

/**
 * The running account of one session, from the cycle it was first seen. Not thread-safe: the control cycle
 * is its only caller.
 */
final class SessionLedger {

    /** Fewer SoC points than this weigh too much against integer SoC reports to judge at the end. */
    static final double MIN_SOC_POINTS = 5;
    /** Mid-session the bar is higher: one wrong judgement cannot be taken back. */
    static final double MIN_SOC_POINTS_MID_SESSION = 10;
    /** The site meter is a fair reference only when other flows moved at most this share of the session's energy. */
    static final double MAX_OTHER_FLOWS_SHARE = 0.25;

    final ConnectorRef connector;
    final String sessionId;
    final Instant firstSeen;
    Instant lastSeen;

    private double lastDelivered;
    private double lastMeterTotal;
    private double dispensedWh;

    private double socStart = Double.NaN;
    private double socLatest = Double.NaN;
    private double dispensedAtSocStart;
    private double capacityWh = Double.NaN;

    private final double baselineW;
    private double siteWh;
    private double otherFlowsWh;
    private boolean siteBroken;

    int counterResets;
    boolean unbridgedReset;
    boolean reportedMidSession;

    /**
     * @param baselineW the site's other load before the session, {@code NaN} when it was not watched long enough
     */
    SessionLedger(ConnectorRef connector, ConnectorReading first, Instant now, double baselineW) {
        this.connector = connector;
        this.sessionId = first.session().sessionId();
        this.firstSeen = now;
        this.lastSeen = now;
        this.lastDelivered = first.session().delivered().wattHours();
        this.lastMeterTotal = first.meterTotal().wattHours();
        this.baselineW = baselineW;
        soc(first.session());
    }

    /** Counts one reading of the session's connector. */
    void dispensed(ConnectorReading r, Instant now) {
        lastSeen = now;
        double delivered = r.session().delivered().wattHours();
        double meter = r.meterTotal().wattHours();
        if (delivered >= lastDelivered) {
            dispensedWh += delivered - lastDelivered;
        } else {
            // The session counter restarted (charger or driver rebooted). The connector's lifetime register
            // bridges the gap when it kept counting; otherwise what flowed in between is unknown.
            counterResets++;
            if (meter > 0 && lastMeterTotal > 0 && meter >= lastMeterTotal) {
                dispensedWh += meter - lastMeterTotal;
            } else {
                dispensedWh += delivered;
                unbridgedReset = true;
            }
        }
        lastDelivered = delivered;
        lastMeterTotal = meter;
        soc(r.session());
    }

    private void soc(EvSession s) {
        if (s.soc() == null || s.batteryCapacity() == null) {
            return;
        }
        if (Double.isNaN(socStart)) {
            socStart = s.soc().value();
            dispensedAtSocStart = dispensedWh;
        }
        socLatest = s.soc().value();
        capacityWh = s.batteryCapacity().wattHours();
    }

    /**
     * Adds one cycle of the site's balance for this connector.
     *
     * @param gridSideWh  grid import less export, plus PV production, less battery charging, less every other
     *                    connector's energy, over the step
     * @param otherWh     the size of those other flows (absolute), for judging whether the site can tell
     * @param hours       the step's length
     */
    void site(double gridSideWh, double otherWh, double hours) {
        siteWh += gridSideWh - (Double.isNaN(baselineW) ? 0 : baselineW * hours);
        otherFlowsWh += otherWh;
    }

    /** A gap in the site's measurements: the site reference is lost for this session. */
    void siteGap() {
        siteBroken = true;
    }

    double dispensedWh() {
        return dispensedWh;
    }

    double receivedWh() {
        return Double.isNaN(socStart) ? Double.NaN : (socLatest - socStart) / 100 * capacityWh;
    }

    double siteWh() {
        return siteUsable() ? siteWh : Double.NaN;
    }

    private boolean siteUsable() {
        return !siteBroken && !Double.isNaN(baselineW);
    }

    /**
     * The finding, when the session is judged and a reference is off by more than the threshold; else
     * {@code null}.
     */
    Finding judge(AuditSettings s, Instant now, boolean finalJudgement) {
        if (unbridgedReset || dispensedWh < s.minSessionWh()) {
            return null;
        }
        double evVariance = Double.NaN;
        double socPoints = socLatest - socStart;
        if (!Double.isNaN(socStart) && socPoints >= (finalJudgement ? MIN_SOC_POINTS : MIN_SOC_POINTS_MID_SESSION)) {
            double expected = receivedWh() / s.efficiency();
            evVariance = (dispensedWh - dispensedAtSocStart - expected) / expected;
        }
        double siteVariance = Double.NaN;
        if (siteUsable() && siteWh > 0 && otherFlowsWh <= MAX_OTHER_FLOWS_SHARE * dispensedWh) {
            siteVariance = (dispensedWh - siteWh) / siteWh;
        }
        boolean evOver = Math.abs(evVariance) > s.threshold();
        boolean siteOver = Math.abs(siteVariance) > s.threshold();
        if (!evOver && !siteOver) {
            return null;
        }
        boolean byEv = evOver && (!siteOver || Math.abs(evVariance) >= Math.abs(siteVariance));
        double variance = byEv ? evVariance : siteVariance;
        return new Finding(now, connector, sessionId, dispensedWh / 1000, receivedWh() / 1000, siteWh() / 1000,
                variance * 100, byEv ? "ev" : "site", finalJudgement);
    }

    /** Why the session cannot be judged, or {@code null} when it can. */
    String notJudged(AuditSettings s) {
        if (unbridgedReset) {
            return "its energy counters restarted without a register to bridge the gap";
        }
        if (dispensedWh < s.minSessionWh()) {
            return null; // too small to matter: not worth a line
        }
        boolean ev = !Double.isNaN(receivedWh()) && socLatest - socStart >= MIN_SOC_POINTS;
        boolean site = siteUsable() && siteWh > 0 && otherFlowsWh <= MAX_OTHER_FLOWS_SHARE * dispensedWh;
        return ev || site ? null : NO_REFERENCE + " (EV: " + evGap() + "; site: " + siteGapReason() + ")";
    }

    /** The start of {@link #notJudged} when there was nothing to judge against: a limit of the site, not a fault. */
    static final String NO_REFERENCE = "neither the EV's SoC nor the site meter could serve as a reference";

    private String evGap() {
        if (Double.isNaN(socStart)) {
            return "no SoC reported";
        }
        if (Double.isNaN(capacityWh)) {
            return "battery capacity unknown";
        }
        return "SoC rose less than " + (int) MIN_SOC_POINTS + " points";
    }

    private String siteGapReason() {
        if (siteBroken) {
            return "a gap in the site's readings";
        }
        if (Double.isNaN(baselineW)) {
            return "no baseline before the session";
        }
        return "other flows moved more than " + Math.round(MAX_OTHER_FLOWS_SHARE * 100) + " % of its energy";
    }
}

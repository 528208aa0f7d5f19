package org.fusebox.vpp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.vpp.FlexibilityCalculator.Direction;

/**
 * The VPP participant without OSGi: it sees the control cycles, offers flexibility, takes or refuses dispatches, turns
 * the accepted ones into import limits and measures what each delivered. Time comes from the caller (the site clock),
 * so tests run it on a hand-moved clock. Thread-safe: every method holds the instance's lock, and none waits on
 * anything.
 *
 * <p>Baseline (stated in the README): the mean of the grid meter's power (import positive) over the samples taken in
 * the {@code baselineMinutes} before the start; measured: the mean over the samples taken from the start until the end
 * (or the cancellation); a sample is the latest cycle's grid reading, read every {@code samplePeriodSeconds}, a cycle
 * seen twice counted once.
 */
final class VppParticipant {

    /** The source id of the grid signals; the core holds each source's signals apart. */
    static final String SOURCE = "vpp";
    /** A dispatch may start this much before it arrives (clocks are never exactly the same). */
    static final Duration START_TOLERANCE = Duration.ofSeconds(60);
    /** A cycle older than this gives no flexibility: the site may have changed. */
    static final Duration STALE_AFTER = Duration.ofMinutes(2);

    private record Sample(Instant time, double kw) {
    }

    /** An accepted dispatch and what is measured of it. */
    private static final class Event {
        final Dispatch dispatch;
        final Decision decision;
        boolean started;
        Double baselineKw;
        int baselineSamples;
        double measuredSum;
        int measuredSamples;

        Event(Dispatch dispatch, Decision decision) {
            this.dispatch = dispatch;
            this.decision = decision;
        }
    }

    private VppSettings settings;
    private CycleReport latest;
    private long lastCycle = Long.MIN_VALUE;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final Map<String, Event> events = new LinkedHashMap<>();
    private final Deque<EventReport> reports = new ArrayDeque<>();
    private volatile List<GridSignal> signals = List.of();

    VppParticipant(VppSettings settings) {
        this.settings = settings;
    }

    synchronized void settings(VppSettings s) {
        settings = s;
        while (reports.size() > s.reportsKept()) {
            reports.removeFirst();
        }
    }

    synchronized VppSettings settings() {
        return settings;
    }

    /** Takes a cycle's grid reading as a sample, once per cycle; the latest cycle is what flexibility is computed from. */
    synchronized void onCycle(CycleReport report) {
        if (report == null || report.cycle() == lastCycle) {
            return;
        }
        lastCycle = report.cycle();
        latest = report;
        SiteSnapshot s = report.snapshot();
        if (s.grid() == null || s.grid().reading() == null) {
            return;
        }
        Instant t = s.timestamp();
        if (!samples.isEmpty() && !t.isAfter(samples.peekLast().time())) {
            return;
        }
        double kw = s.grid().reading().power().kilowatts();
        samples.addLast(new Sample(t, kw));
        Instant keepFrom = t.minus(settings.baseline()).minus(settings.samplePeriod().multipliedBy(2));
        while (!samples.isEmpty() && samples.peekFirst().time().isBefore(keepFrom)) {
            samples.removeFirst();
        }
        for (Event e : events.values()) {
            if (!t.isBefore(e.dispatch.start()) && t.isBefore(e.dispatch.end())) {
                e.measuredSum += kw;
                e.measuredSamples++;
            }
        }
    }

    /** The calculation on the latest cycle, empty without a recent cycle with a grid reading. */
    synchronized Optional<FlexibilityCalculator> calculator(Instant now) {
        if (latest == null) {
            return Optional.empty();
        }
        SiteSnapshot s = latest.snapshot();
        if (Duration.between(s.timestamp(), now).compareTo(STALE_AFTER) > 0) {
            return Optional.empty();
        }
        return SiteModel.from(latest, settings.slot()).map(site -> new FlexibilityCalculator(site, Slot.aligned(s.timestamp(), settings.slot(), settings.horizon())));
    }

    /** Why there is no flexibility now, for the operator. */
    synchronized String whyNoFlexibility(Instant now) {
        if (latest == null) {
            return "no control cycle seen yet";
        }
        SiteSnapshot s = latest.snapshot();
        if (Duration.between(s.timestamp(), now).compareTo(STALE_AFTER) > 0) {
            return "the latest control cycle is from " + s.timestamp() + ", more than " + STALE_AFTER.toMinutes() + " minutes ago";
        }
        return "the latest control cycle has no grid reading";
    }

    /**
     * Takes or refuses a dispatch, whole: an accepted one is in force from this call on (as a grid signal), a refused
     * one changes nothing. The same id again replaces a dispatch that has not started.
     */
    synchronized Decision submit(Dispatch d, Instant now) {
        if (!d.end().isAfter(now)) {
            return Decision.refused(400, "dispatch " + d.id() + " ended at " + d.end() + ", before now (" + now + ")");
        }
        if (d.start().isBefore(now.minus(START_TOLERANCE))) {
            return Decision.refused(400, "dispatch " + d.id() + " starts at " + d.start() + ", in the past (now " + now + ")");
        }
        Event same = events.get(d.id());
        if (same != null && same.started) {
            return Decision.refused(409, "dispatch " + d.id() + " is running since " + same.dispatch.start() + "; cancel it first");
        }
        for (Event e : events.values()) {
            if (!e.dispatch.id().equals(d.id()) && e.dispatch.overlaps(d)) {
                return Decision.refused(409, "dispatch " + d.id() + " overlaps dispatch " + e.dispatch.id() + " (" + e.dispatch.start()
                        + " .. " + e.dispatch.end() + ")");
            }
        }
        Decision decision = assess(d, now);
        if (decision.accepted()) {
            events.put(d.id(), new Event(d, decision));
            refreshSignals();
        }
        return decision;
    }

    private Decision assess(Dispatch d, Instant now) {
        boolean beyondAllowed = settings.acceptBeyondOffer();
        Optional<FlexibilityCalculator> calc = calculator(now);
        if (calc.isEmpty()) {
            String why = "no flexibility is known (" + whyNoFlexibility(now) + ")";
            return beyondAllowed ? new Decision(200, "accepted beyond the offer: " + why, 0, 0, true) : Decision.refused(409, why);
        }
        FlexibilityCalculator c = calc.get();
        List<Slot> slots = c.slots();
        Instant horizonEnd = slots.get(slots.size() - 1).end();
        int k = -1;
        int last = -1;
        for (int j = 0; j < slots.size(); j++) {
            Slot s = slots.get(j);
            if (s.end().isAfter(d.start()) && s.start().isBefore(d.end())) {
                k = k < 0 ? j : k;
                last = j;
            }
        }
        double required = 0;
        double offered = 0;
        String gap;
        if (k < 0) {
            gap = "it lies beyond the flexibility horizon (until " + horizonEnd + ")";
        } else {
            for (int j = k; j <= last; j++) {
                required = Math.max(required, c.referenceImportKw(j) - d.importTargetKw());
            }
            offered = FlexibilityCalculator.round(c.total(Direction.SHED, k, last - k + 1));
            if (d.end().isAfter(horizonEnd)) {
                gap = "it ends after the flexibility horizon (" + horizonEnd + ")";
            } else if (required > offered + 1e-6) {
                gap = String.format(Locale.ROOT, "it asks %.3f kW below the import expected (down to %.3f kW), the site offers %.3f kW "
                        + "from %s to %s", required, d.importTargetKw(), offered, slots.get(k).start(), slots.get(last).end());
            } else {
                return new Decision(200, "", offered, required, false);
            }
        }
        if (beyondAllowed) {
            return new Decision(200, "accepted beyond the offer: " + gap, offered, required, true);
        }
        return new Decision(409, "dispatch " + d.id() + " refused: " + gap, offered, required, true);
    }

    /**
     * Cancels a dispatch: its limit is lifted at once; a running one is reported as ended now.
     *
     * @return whether it was known, and the report of one that was running
     */
    synchronized Cancellation cancel(String id, Instant now) {
        Event e = events.remove(id);
        if (e == null) {
            return new Cancellation(false, null);
        }
        refreshSignals();
        if (!e.started && now.isBefore(e.dispatch.start())) {
            return new Cancellation(true, null);
        }
        if (!e.started) {
            freezeBaseline(e);
        }
        return new Cancellation(true, close(e, now, true));
    }

    /** What a cancellation found: {@code report} is null for a dispatch that had not started. */
    record Cancellation(boolean known, EventReport report) {
    }

    /** Starts and ends events as time passes; returns the reports of the events that ended. */
    synchronized List<EventReport> tick(Instant now) {
        List<EventReport> ended = new ArrayList<>();
        for (var it = events.values().iterator(); it.hasNext();) {
            Event e = it.next();
            if (!e.started && !now.isBefore(e.dispatch.start())) {
                freezeBaseline(e);
            }
            if (!now.isBefore(e.dispatch.end())) {
                it.remove();
                ended.add(close(e, e.dispatch.end(), false));
            }
        }
        if (!ended.isEmpty()) {
            refreshSignals();
        }
        return ended;
    }

    private void freezeBaseline(Event e) {
        e.started = true;
        Instant from = e.dispatch.start().minus(settings.baseline());
        double sum = 0;
        int n = 0;
        for (Sample s : samples) {
            if (!s.time().isBefore(from) && s.time().isBefore(e.dispatch.start())) {
                sum += s.kw();
                n++;
            }
        }
        e.baselineSamples = n;
        e.baselineKw = n == 0 ? null : sum / n;
    }

    private EventReport close(Event e, Instant endedAt, boolean cancelled) {
        Dispatch d = e.dispatch;
        List<String> notes = new ArrayList<>();
        if (e.decision.beyondOffer()) {
            notes.add(e.decision.reason());
        }
        Double measured = e.measuredSamples == 0 ? null : e.measuredSum / e.measuredSamples;
        if (e.baselineKw == null) {
            notes.add("no grid reading in the " + settings.baseline().toMinutes() + " minutes before the start: no baseline");
        } else {
            long expected = settings.baseline().toSeconds() / Math.max(1, settings.samplePeriod().toSeconds());
            if (e.baselineSamples < expected / 2) {
                notes.add("baseline from " + e.baselineSamples + " readings only (about " + expected + " expected)");
            }
        }
        if (measured == null) {
            notes.add("no grid reading during the event: nothing measured");
        }
        Double deliveredKw = e.baselineKw == null || measured == null ? null : e.baselineKw - measured;
        double hours = Duration.between(d.start(), endedAt).toNanos() / 3.6e12;
        Double deliveredKwh = deliveredKw == null ? null : deliveredKw * Math.max(0, hours);
        Boolean met = measured == null ? null : measured <= d.importTargetKw() + 1e-9;
        EventReport r = new EventReport(d.id(), d.start(), d.end(), endedAt, cancelled, d.importTargetKw(), e.baselineKw,
                e.baselineSamples, measured, e.measuredSamples, deliveredKw, deliveredKwh, met, e.decision.beyondOffer(),
                e.decision.offeredShedKw(), e.decision.requiredShedKw(), String.join("; ", notes));
        reports.addLast(r);
        while (reports.size() > settings.reportsKept()) {
            reports.removeFirst();
        }
        return r;
    }

    private void refreshSignals() {
        List<GridSignal> out = new ArrayList<>();
        events.values().stream().map(e -> e.dispatch).sorted(Comparator.comparing(Dispatch::start)).forEach(d -> out.add(
                new GridSignal(d.id(), SOURCE, GridSignalKind.IMPORT_CAPACITY_LIMIT, d.start(), d.end(), d.importTargetKw() * 1000, "",
                        "VPP dispatch " + d.id())));
        signals = List.copyOf(out);
    }

    /** Every accepted dispatch that has not ended, as import limits; answered from memory, without the lock. */
    List<GridSignal> signals() {
        return signals;
    }

    synchronized List<Dispatch> dispatches() {
        return events.values().stream().map(e -> e.dispatch).sorted(Comparator.comparing(Dispatch::start)).toList();
    }

    /** The kept reports, oldest first. */
    synchronized List<EventReport> reports() {
        return List.copyOf(reports);
    }
}

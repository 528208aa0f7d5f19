package org.fusebox.vpp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fusebox.vpp.FlexSite.BatteryFlex;
import org.fusebox.vpp.FlexSite.EvFlex;

/**
 * How much the site's import can be shed or added, per slot and for how long, without leaving a battery's SoC band,
 * making an EV miss its departure or importing over the planning limit. Pure: a function of a {@link FlexSite} and
 * the slots.
 *
 * <p>The <em>reference</em> is what the site does without a dispatch: the load as measured now, each battery holding
 * its planned power (the plan's power at each slot's start, else its power now) until the edge of its band (averaged over the slot it reaches it in), each EV drawing its planned power (likewise) until it
 * has what it needs or leaves (counted at that power in every slot it charges in, the slot's peak, so the import is
 * never under-counted). A dispatch asks each device for a constant change from its reference over whole slots
 * {@code k .. k+m-1}:
 * <ul>
 * <li>a battery may go down to its full discharge (shed) or up to its full charge (add), staying in its band (or, when
 * the reference is outside it, no further outside than the reference);</li>
 * <li>an EV may charge less (shed) when it can still get what it needs by charging at its maximum from the end of the
 * event to its departure, and is plugged in for the whole event; a power left below its minimum pauses it, which sheds more and is counted as no energy; an EV
 * may charge more (add) only while its reference is at least its minimum, up to its maximum, and not beyond what it
 * needs.</li>
 * </ul>
 * Each device's admissible change is an interval from 0 (smaller changes are as safe as larger ones), so any share of
 * the total, split in proportion ({@link #shares}), is deliverable. The site's total is capped so that the import never
 * drops below zero (a shed is not an export) and never goes over the planning limit (an add).
 */
final class FlexibilityCalculator {

    /** Tolerance of the feasibility checks, kWh (and kW for powers): float noise, not slack. */
    static final double EPS = 1e-9;
    private static final int SEARCH_STEPS = 60;

    private final FlexSite site;
    private final List<Slot> slots;
    private final double[] hours;
    private final double[][] batteryRef;
    private final double[][] batteryStored; // at each slot start, and after the last
    private final double[][] evRef;
    private final double[][] evDelivered; // energy delivered from now until each slot start, and after the last
    private final double[] siteRef;

    /** The direction of a change of import. */
    enum Direction { SHED, ADD }

    FlexibilityCalculator(FlexSite site, List<Slot> slots) {
        this.site = Objects.requireNonNull(site, "site");
        this.slots = List.copyOf(slots);
        if (this.slots.isEmpty()) {
            throw new IllegalArgumentException("no slots");
        }
        int n = this.slots.size();
        hours = new double[n];
        for (int j = 0; j < n; j++) {
            hours[j] = this.slots.get(j).hours();
            if (j > 0 && !this.slots.get(j).start().equals(this.slots.get(j - 1).end())) {
                throw new IllegalArgumentException("slots must follow each other without gaps");
            }
        }
        batteryRef = new double[site.batteries().size()][n];
        batteryStored = new double[site.batteries().size()][n + 1];
        for (int b = 0; b < site.batteries().size(); b++) {
            BatteryFlex bat = site.batteries().get(b);
            double stored = bat.storedKwh();
            for (int j = 0; j < n; j++) {
                batteryStored[b][j] = stored;
                double pj = Math.max(-bat.maxDischargeKw(), Math.min(bat.maxChargeKw(), bat.expectedKw(this.slots.get(j).start())));
                if (pj > 0) {
                    pj = Math.max(0, Math.min(pj, (bat.maxKwh() - stored) / (bat.chargeEfficiency() * hours[j])));
                } else if (pj < 0) {
                    pj = Math.min(0, Math.max(pj, -(stored - bat.minKwh()) * bat.dischargeEfficiency() / hours[j]));
                }
                batteryRef[b][j] = pj;
                stored = bat.after(stored, pj, hours[j]);
            }
            batteryStored[b][n] = stored;
        }
        evRef = new double[site.evs().size()][n];
        evDelivered = new double[site.evs().size()][n + 1];
        for (int e = 0; e < site.evs().size(); e++) {
            EvFlex ev = site.evs().get(e);
            double delivered = 0;
            for (int j = 0; j < n; j++) {
                evDelivered[e][j] = delivered;
                Slot slot = this.slots.get(j);
                double hold = Math.min(ev.expectedKw(slot.start()), ev.maxKw());
                double present = presentHours(ev, slot);
                double remaining = ev.neededKwh() - delivered;
                // it draws its power while it needs energy: the slot's peak, though it may finish within the slot
                double pj = present > 0 && remaining > EPS ? hold : 0;
                evRef[e][j] = pj;
                delivered += Math.min(Math.max(0, remaining), pj * present);
            }
            evDelivered[e][n] = delivered;
        }
        siteRef = new double[n];
        for (int j = 0; j < n; j++) {
            double s = site.uncontrolledKw();
            for (double[] r : batteryRef) {
                s += r[j];
            }
            for (double[] r : evRef) {
                s += r[j];
            }
            siteRef[j] = s;
        }
    }

    List<Slot> slots() {
        return slots;
    }

    FlexSite site() {
        return site;
    }

    /** The site's import in slot {@code j} without a dispatch, kW. */
    double referenceImportKw(int j) {
        return siteRef[j];
    }

    double batteryReferenceKw(int battery, int j) {
        return batteryRef[battery][j];
    }

    double evReferenceKw(int ev, int j) {
        return evRef[ev][j];
    }

    /** The most the site's import can move in {@code direction} over slots {@code k .. k+m-1}, kW, never negative. */
    double total(Direction direction, int k, int m) {
        checkRange(k, m);
        double sum = 0;
        for (double d : deviceMaxima(direction, k, m)) {
            sum += d;
        }
        return Math.max(0, Math.min(sum, siteCap(direction, k, m)));
    }

    /** What the site's import itself allows: no shed below zero import, no add over the planning limit. */
    private double siteCap(Direction direction, int k, int m) {
        double cap = Double.POSITIVE_INFINITY;
        for (int j = k; j < k + m; j++) {
            cap = Math.min(cap, direction == Direction.SHED ? siteRef[j] : site.planningLimitKw() - siteRef[j]);
        }
        return Math.max(0, cap);
    }

    /** Each device's largest admissible change over the event: batteries first, then EVs, in the site's order. */
    double[] deviceMaxima(Direction direction, int k, int m) {
        checkRange(k, m);
        int nb = site.batteries().size();
        double[] out = new double[nb + site.evs().size()];
        for (int b = 0; b < nb; b++) {
            int bb = b;
            double hi = direction == Direction.SHED ? minOver(k, m, j -> batteryRef[bb][j] + site.batteries().get(bb).maxDischargeKw())
                    : minOver(k, m, j -> site.batteries().get(bb).maxChargeKw() - batteryRef[bb][j]);
            out[b] = largest(hi, d -> batteryFeasible(bb, direction, k, m, d));
        }
        for (int e = 0; e < site.evs().size(); e++) {
            int ee = e;
            double hi = direction == Direction.SHED ? minOver(k, m, j -> evRef[ee][j])
                    : minOver(k, m, j -> evRef[ee][j] >= site.evs().get(ee).minKw() && evRef[ee][j] > 0
                            ? site.evs().get(ee).maxKw() - evRef[ee][j] : 0);
            out[nb + e] = largest(hi, d -> evFeasible(ee, direction, k, m, d));
        }
        return out;
    }

    /**
     * How a total change of {@code totalKw} (at most {@link #total}) is split over the devices: in proportion to what
     * each may give, so each stays within its admissible interval.
     */
    double[] shares(Direction direction, int k, int m, double totalKw) {
        double[] max = deviceMaxima(direction, k, m);
        double sum = 0;
        for (double d : max) {
            sum += d;
        }
        double[] out = new double[max.length];
        if (sum <= 0 || totalKw <= 0) {
            return out;
        }
        double f = Math.min(1, totalKw / sum);
        for (int i = 0; i < max.length; i++) {
            out[i] = max[i] * f;
        }
        return out;
    }

    /** Whether battery {@code b} can change by {@code d} kW (toward {@code direction}) over the event. */
    boolean batteryFeasible(int b, Direction direction, int k, int m, double d) {
        BatteryFlex bat = site.batteries().get(b);
        double stored = batteryStored[b][k];
        for (int j = k; j < k + m; j++) {
            double p = direction == Direction.SHED ? batteryRef[b][j] - d : batteryRef[b][j] + d;
            if (p < -bat.maxDischargeKw() - EPS || p > bat.maxChargeKw() + EPS) {
                return false;
            }
            stored = bat.after(stored, p, hours[j]);
            double refAfter = batteryStored[b][j + 1];
            if (direction == Direction.SHED && stored < Math.min(bat.minKwh(), refAfter) - EPS) {
                return false;
            }
            if (direction == Direction.ADD && stored > Math.max(bat.maxKwh(), refAfter) + EPS) {
                return false;
            }
        }
        return true;
    }

    /** Whether EV {@code e} can change by {@code d} kW over the event and still leave with what it needs. */
    boolean evFeasible(int e, Direction direction, int k, int m, double d) {
        EvFlex ev = site.evs().get(e);
        if (d > 0 && slots.get(k + m - 1).end().isAfter(ev.departure())) {
            return false; // it must be there for the whole event
        }
        double delivered = evDelivered[e][k];
        for (int j = k; j < k + m; j++) {
            double ref = evRef[e][j];
            if (direction == Direction.SHED) {
                double p = d > 0 ? evShedPower(ref, d, ev.minKw()) : ref;
                delivered += Math.min(Math.max(0, ev.neededKwh() - delivered), p * presentHours(ev, slots.get(j)));
            } else {
                if (d > 0 && (ref <= 0 || ref < ev.minKw() || ref + d > ev.maxKw() + EPS)) {
                    return false;
                }
                delivered += (ref + d) * hours[j];
            }
        }
        if (direction == Direction.ADD) {
            // raised, it must still want all of it: an EV that is full stops and the add is not delivered
            return d <= 0 || delivered <= ev.neededKwh() + EPS;
        }
        Instant eventEnd = slots.get(k + m - 1).end();
        double catchUpHours = Math.max(0, Duration.between(eventEnd, ev.departure()).toNanos() / 3.6e12);
        double reachable = delivered + ev.maxKw() * catchUpHours;
        return reachable >= ev.neededKwh() - EPS;
    }

    /** How long the EV is plugged in within the slot, hours. */
    private static double presentHours(EvFlex ev, Slot slot) {
        if (!ev.departure().isAfter(slot.start())) {
            return 0;
        }
        Instant until = ev.departure().isBefore(slot.end()) ? ev.departure() : slot.end();
        return Duration.between(slot.start(), until).toNanos() / 3.6e12;
    }

    /** What an EV draws when asked for {@code d} kW less than {@code ref}: below its minimum, it pauses. */
    static double evShedPower(double ref, double d, double minKw) {
        if (d <= 0) {
            return ref;
        }
        double p = ref - d;
        return p < minKw || p < 0 ? 0 : p;
    }

    /** The offer per slot: the most for that slot alone, and how many slots from it that same power can be held. */
    List<FlexSlot> offer() {
        List<FlexSlot> out = new ArrayList<>();
        for (int k = 0; k < slots.size(); k++) {
            int[] sustain = new int[2];
            double[] kw = new double[2];
            for (Direction dir : Direction.values()) {
                double first = round(total(dir, k, 1));
                int m = first > 0 ? 1 : 0;
                while (m > 0 && k + m < slots.size() && total(dir, k, m + 1) >= first) {
                    m++;
                }
                kw[dir.ordinal()] = first;
                sustain[dir.ordinal()] = m;
            }
            Slot s = slots.get(k);
            out.add(new FlexSlot(s.start(), s.end(), kw[0], sustain[0] == 0 ? s.start() : slots.get(k + sustain[0] - 1).end(),
                    sustain[0], kw[1], sustain[1] == 0 ? s.start() : slots.get(k + sustain[1] - 1).end(), sustain[1],
                    Math.round(siteRef[k] * 1000) / 1000.0));
        }
        return List.copyOf(out);
    }

    /**
     * Rounded down to the watt, so what is offered does not exceed what was found deliverable (by more than a
     * microwatt, so that float noise such as 6.2199999999 kW is not taken for 6.219).
     */
    static double round(double kw) {
        return Math.floor(kw * 1000 + 1e-6) / 1000;
    }

    /**
     * One slot's offer.
     *
     * @param shedKw     how much the import can be lowered below the reference in this slot
     * @param shedUntil  until when (from the slot's start) that shed can be held; the slot's start when there is none
     * @param shedSlots  how many slots that is
     * @param addKw      how much the import can be raised over the reference, under the planning limit
     * @param addUntil   until when that can be held
     * @param addSlots   how many slots that is
     * @param referenceKw the import expected in the slot without a dispatch
     */
    record FlexSlot(Instant start, Instant end, double shedKw, Instant shedUntil, int shedSlots, double addKw, Instant addUntil,
            int addSlots, double referenceKw) {
    }

    private interface SlotValue {
        double at(int j);
    }

    private interface Check {
        boolean ok(double d);
    }

    private static double minOver(int k, int m, SlotValue v) {
        double min = Double.POSITIVE_INFINITY;
        for (int j = k; j < k + m; j++) {
            min = Math.min(min, v.at(j));
        }
        return Math.max(0, min);
    }

    /** The largest d in [0, hi] that passes {@code check}, found by bisection (the checks are monotone in d). */
    private static double largest(double hi, Check check) {
        if (hi <= 0 || !check.ok(0)) {
            return 0;
        }
        if (check.ok(hi)) {
            return hi;
        }
        double lo = 0;
        for (int i = 0; i < SEARCH_STEPS; i++) {
            double mid = (lo + hi) / 2;
            if (check.ok(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void checkRange(int k, int m) {
        if (k < 0 || m < 1 || k + m > slots.size()) {
            throw new IndexOutOfBoundsException("slots " + k + " .. " + (k + m - 1) + " of " + slots.size());
        }
    }
}

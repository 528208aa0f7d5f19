package org.fusebox.vpp;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The site as the flexibility calculation sees it, in kW and kWh: what nothing here controls, the limit at the grid
 * connection, and the devices whose power may move.
 *
 * @param now             when it was measured
 * @param uncontrolledKw  the site's import that no flexible device accounts for (load less PV, plus devices that
 *                        offer nothing), held for the whole horizon
 * @param planningLimitKw the most the site may import (the planning limit summed over the phases)
 * @param batteries       the batteries that may move
 * @param evs             the EVs whose charging may move
 */
record FlexSite(Instant now, double uncontrolledKw, double planningLimitKw, List<BatteryFlex> batteries, List<EvFlex> evs) {

    FlexSite {
        Objects.requireNonNull(now, "now");
        finite(uncontrolledKw, "uncontrolledKw");
        if (!(planningLimitKw >= 0) || !Double.isFinite(planningLimitKw)) {
            throw new IllegalArgumentException("planningLimitKw must be finite and not negative, got " + planningLimitKw);
        }
        batteries = List.copyOf(batteries);
        evs = List.copyOf(evs);
    }

    static void finite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }

    /**
     * A battery, by energy stored (kWh between 0 and its capacity).
     *
     * @param powerKw the power it holds now and is expected to keep holding (charging positive) where the plan says
     *                nothing; the calculation stops it at the edges of the band
     * @param plan    what its planner intends (possibly empty): a slot starting within an entry holds that power
     */
    record BatteryFlex(String id, double storedKwh, double minKwh, double maxKwh, double maxChargeKw, double maxDischargeKw,
            double powerKw, double chargeEfficiency, double dischargeEfficiency, List<PlannedPower> plan) {

        /** A battery without a plan. */
        BatteryFlex(String id, double storedKwh, double minKwh, double maxKwh, double maxChargeKw, double maxDischargeKw,
                double powerKw, double chargeEfficiency, double dischargeEfficiency) {
            this(id, storedKwh, minKwh, maxKwh, maxChargeKw, maxDischargeKw, powerKw, chargeEfficiency, dischargeEfficiency, List.of());
        }

        BatteryFlex {
            plan = plan == null ? List.of() : List.copyOf(plan);
            Objects.requireNonNull(id, "id");
            finite(storedKwh, "storedKwh");
            finite(powerKw, "powerKw");
            if (!(minKwh >= 0 && minKwh <= maxKwh && Double.isFinite(maxKwh))) {
                throw new IllegalArgumentException("battery " + id + ": need 0 <= minKwh <= maxKwh, got " + minKwh + " and " + maxKwh);
            }
            if (!(maxChargeKw >= 0 && maxDischargeKw >= 0 && Double.isFinite(maxChargeKw) && Double.isFinite(maxDischargeKw))) {
                throw new IllegalArgumentException("battery " + id + ": power ratings must be finite and not negative");
            }
            if (!(chargeEfficiency > 0 && chargeEfficiency <= 1 && dischargeEfficiency > 0 && dischargeEfficiency <= 1)) {
                throw new IllegalArgumentException("battery " + id + ": efficiencies must be within 0 (excluded) and 1");
            }
        }

        /** The power expected from {@code t} on: the plan's where it says, else the power now. */
        double expectedKw(Instant t) {
            for (PlannedPower p : plan) {
                if (!t.isBefore(p.start()) && t.isBefore(p.end())) {
                    return p.kw();
                }
            }
            return powerKw;
        }

        /** Stored energy after holding {@code kw} (AC, charging positive) for {@code hours}. */
        double after(double stored, double kw, double hours) {
            return kw >= 0 ? stored + kw * chargeEfficiency * hours : stored + kw / dischargeEfficiency * hours;
        }
    }

    /**
     * An EV on a connector.
     *
     * @param powerKw   what it draws now, expected to go on until it has what it needs
     * @param minKw     the lowest power it charges at (below, the charger pauses it)
     * @param maxKw     the most it may draw
     * @param neededKwh energy it still needs from now on
     * @param departure when it leaves
     * @param plan      what the deadline planner intends (possibly empty): a slot starting within an entry charges at
     *                  that power instead of {@code powerKw}
     */
    record EvFlex(String id, double powerKw, double minKw, double maxKw, double neededKwh, Instant departure, List<PlannedPower> plan) {

        /** An EV without a plan. */
        EvFlex(String id, double powerKw, double minKw, double maxKw, double neededKwh, Instant departure) {
            this(id, powerKw, minKw, maxKw, neededKwh, departure, List.of());
        }

        /** The power expected from {@code t} on while it needs energy: the plan's where it says, else the power now. */
        double expectedKw(Instant t) {
            for (PlannedPower p : plan) {
                if (!t.isBefore(p.start()) && t.isBefore(p.end())) {
                    return Math.max(0, p.kw());
                }
            }
            return powerKw;
        }

        EvFlex {
            plan = plan == null ? List.of() : List.copyOf(plan);
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(departure, "departure");
            if (!(powerKw >= 0 && minKw >= 0 && minKw <= maxKw && Double.isFinite(maxKw) && Double.isFinite(powerKw))) {
                throw new IllegalArgumentException("EV " + id + ": need 0 <= minKw <= maxKw and a power not negative, got "
                        + minKw + ", " + maxKw + " and " + powerKw);
            }
            if (!(neededKwh >= 0) || !Double.isFinite(neededKwh)) {
                throw new IllegalArgumentException("EV " + id + ": neededKwh must be finite and not negative, got " + neededKwh);
            }
        }
    }

    /** A planner's intended power from {@code start} until {@code end}, kW (charging positive). */
    record PlannedPower(Instant start, Instant end, double kw) {

        PlannedPower {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            finite(kw, "planned power");
        }
    }
}

package org.fusebox.optimiser.peakshaving;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * One cycle's decision: given the energy imported so far in the interval and the time left, the power the
 * site may import until the next cycle so the interval's average ends at the target, and the cuts that get
 * there. A pure function of its arguments.
 *
 * <p>The import expected with the proposal as it is = the uncontrolled power (grid less what chargers and
 * batteries are measured to draw) + PV output the proposal caps away + each battery at its proposed power
 * + each EV at what it would draw under its proposed limit. When that is above the allowed power, in this
 * order: battery charging is cut, batteries discharge (shared in proportion to what each can give, never
 * below the minimum SoC), then EV limits are lowered to a common cap per phase, pausing the EVs that
 * arrived last when even their minimum does not fit. Nothing is ever raised above the proposal.
 */
final class PeakShaver {

    /** An EV drawing this much below the limit it is given is taken to be limited by itself, not the charger. */
    static final double EV_BOUND_SLACK_AMPS = 1.0;

    /**
     * @param setpoints   the proposal with this cycle's cuts
     * @param allowedW    the import allowed until the next cycle
     * @param expectedW   the import expected with the proposal unchanged
     * @param plannedW    the import expected with the cuts
     * @param lowestW     the lowest import the controllable devices can reach
     */
    record Decision(Setpoints setpoints, double allowedW, double expectedW, double plannedW, double lowestW) {
    }

    private record Ev(ConnectorRef ref, ConnectorInfo info, double proposedAmps, double expectedAmps, int phases,
            boolean running, Instant arrived) {

        double minAmps() {
            return info.minCurrent().amps();
        }

        /** What it draws, in watts, under a cap of {@code lambda} A per phase (never below its minimum). */
        double drawW(double lambda, double volts) {
            return Math.min(expectedAmps, Math.max(lambda, minAmps())) * volts * phases;
        }

        double minimumDrawW(double volts) {
            return Math.min(expectedAmps, minAmps()) * volts * phases;
        }
    }

    /**
     * @param proposedW  the proposal, an economic discharge into the energy kept for forecast peaks raised
     * @param floorW     the lowest power it may be given to keep the interval under the peak while keeping what
     *                   cannot be charged back before the next forecast peak
     * @param lastResortW the lowest power at all (the minimum SoC), used only when EVs paused do not suffice
     * @param ceilingW   the highest power it may charge at for forecast peaks (rating, maximum SoC); 0 when none
     */
    private record Bat(BatteryState state, double proposedW, double floorW, double lastResortW, double ceilingW) {

        String id() {
            return state.id();
        }
    }

    /**
     * @param energySoFarWh import counted so far in the interval
     * @param timeLeft      until the interval ends, positive
     */
    Decision decide(SiteSnapshot site, Setpoints proposal, PeakShavingSettings settings, double energySoFarWh,
            Duration intervalLength, Duration timeLeft) {
        return decide(site, proposal, settings, energySoFarWh, intervalLength, timeLeft, PeakReserve.NONE);
    }

    /**
     * @param reserve what the forecast peaks ahead ask of the batteries; {@link PeakReserve#NONE} decides as
     *                without forecasts
     */
    Decision decide(SiteSnapshot site, Setpoints proposal, PeakShavingSettings settings, double energySoFarWh,
            Duration intervalLength, Duration timeLeft, PeakReserve reserve) {
        double volts = site.limits().nominalVoltage().volts();
        double budgetWh = settings.targetWatts() * intervalLength.toNanos() / 3.6e12;
        double hoursLeft = Math.max(timeLeft.toNanos(), 1) / 3.6e12;
        double allowedW = (budgetWh - energySoFarWh) / hoursLeft;

        double gridW = site.grid().reading().power().watts();
        double expectedW = gridW;
        List<Ev> evs = new ArrayList<>();
        for (ChargerState charger : site.chargers()) {
            for (ConnectorInfo info : charger.connectors()) {
                Optional<ConnectorReading> reading = charger.connectorReading(info.connectorId());
                if (reading.isEmpty()) {
                    continue; // its draw is in the grid reading and counts as uncontrolled
                }
                ConnectorReading r = reading.get();
                double measuredW = r.power().watts();
                expectedW -= measuredW;
                ConnectorRef ref = new ConnectorRef(charger.id(), info.connectorId());
                int n = info.phases().size();
                double proposed = Math.min(proposal.chargerLimit(ref).orElse(info.maxCurrent()).amps(), info.maxCurrent().amps());
                if (!charger.status().isOnline() || !r.state().wantsCurrent()) {
                    expectedW += measuredW; // not steerable now: it draws what it draws
                    continue;
                }
                if (proposed < info.minCurrent().amps()) {
                    continue; // paused by the proposal (a limit under the minimum pauses too)
                }
                double measuredAmps = Math.max(0, measuredW) / (volts * n);
                boolean evBound = measuredAmps < r.currentLimit().amps() - EV_BOUND_SLACK_AMPS;
                double expectedAmps = evBound ? Math.min(proposed, measuredAmps) : proposed;
                expectedW += expectedAmps * volts * n;
                Instant arrived = r.session() != null ? r.session().startedAt() : Instant.MAX;
                evs.add(new Ev(ref, info, proposed, expectedAmps, n, r.currentLimit().amps() >= info.minCurrent().amps(), arrived));
            }
        }
        List<Bat> bats = new ArrayList<>();
        Setpoints.Builder kept = Setpoints.builder();
        double periodHours = site.limits().cyclePeriod().toNanos() / 3.6e12;
        for (BatteryState b : site.batteries()) {
            double measured = b.reading() == null ? 0 : b.reading().power().watts();
            double proposed = proposal.batteryPower(b.id()).map(Power::watts).orElse(measured);
            if (b.reading() == null || !b.status().isOnline()) {
                expectedW += proposed - measured;
                continue;
            }
            double keepWh = reserve.keepWh(b, site);
            double lastResort = Math.min(proposed, -dischargeRoomW(site, b, periodHours));
            if (keepWh > 0) {
                // An economic discharge may not dig into the energy kept for the forecast peaks ahead.
                double room = dischargeRoomW(site, b, periodHours, keepWh);
                if (proposed < -room) {
                    proposed = -room;
                    kept.batteryPower(b.id(), Power.ofWatts(proposed));
                }
            }
            expectedW += proposed - measured;
            double floor = Math.min(proposed, -dischargeRoomW(site, b, periodHours, reserve.floorWh(b, site)));
            double ceiling = reserve.charges() ? chargeRoomW(site, b, periodHours) : 0;
            bats.add(new Bat(b, proposed, floor, Math.min(lastResort, floor), ceiling));
        }
        proposal = proposal.overriddenBy(kept.build());
        for (PvState pv : site.pv()) {
            if (pv.reading() != null) {
                Optional<Power> cap = proposal.pvLimit(pv.id());
                if (cap.isPresent()) {
                    expectedW += Math.max(0, pv.reading().power().watts() - cap.get().watts());
                }
            }
        }

        double evExpectedW = evs.stream().mapToDouble(e -> e.expectedAmps() * volts * e.phases()).sum();
        double batteryFlexW = bats.stream().mapToDouble(b -> b.proposedW() - b.lastResortW()).sum();
        double lowestW = expectedW - batteryFlexW - evExpectedW;
        double need = expectedW - allowedW;
        if (need <= 0) {
            if (reserve.charges()) {
                Setpoints.Builder charge = Setpoints.builder();
                double addedW = chargeForPeaks(site, proposal, bats, Math.min(allowedW, reserve.chargeToW()) - expectedW, charge);
                return new Decision(proposal.overriddenBy(charge.build()), allowedW, expectedW, expectedW + addedW, lowestW);
            }
            return new Decision(proposal, allowedW, expectedW, expectedW, lowestW);
        }

        Setpoints.Builder cuts = Setpoints.builder();
        double cutW = 0;
        // Battery charging first: it can wait, and the energy stays on site either way.
        List<Bat> afterCharging = new ArrayList<>();
        for (Bat b : bats) {
            double c = b.proposedW() > 0 ? Math.min(b.proposedW(), need - cutW) : 0;
            cutW += c;
            afterCharging.add(new Bat(b.state(), b.proposedW() - c, b.floorW(), b.lastResortW(), 0));
        }
        double flex = afterCharging.stream().mapToDouble(b -> Math.min(0, b.proposedW()) - b.floorW()).sum();
        double share = flex <= 0 ? 0 : Math.min(1, (need - cutW) / flex);
        double[] afterW = new double[afterCharging.size()];
        for (int i = 0; i < afterCharging.size(); i++) {
            Bat b = afterCharging.get(i);
            double discharge = (Math.min(0, b.proposedW()) - b.floorW()) * share;
            double w = b.proposedW() - discharge;
            afterW[i] = w;
            cutW += discharge;
            double proposed = bats.get(i).proposedW();
            if (w < proposed) {
                cuts.batteryPower(b.id(), Power.ofWatts(w));
            }
        }
        double plannedW = expectedW - cutW;
        if (need - cutW > 1e-9 && !evs.isEmpty()) {
            double evBudgetW = evExpectedW - (need - cutW);
            plannedW += capEvs(evs, evBudgetW, volts, cuts) - evExpectedW;
        }
        double stillW = plannedW - allowedW;
        if (stillW > 1e-9) {
            // The peak now is certain, the forecast one is not: the energy kept for it goes first, down to the minimum SoC.
            double deeper = 0;
            for (int i = 0; i < afterCharging.size(); i++) {
                deeper += afterW[i] - bats.get(i).lastResortW();
            }
            double part = deeper <= 0 ? 0 : Math.min(1, stillW / deeper);
            for (int i = 0; i < afterCharging.size() && part > 0; i++) {
                double extra = (afterW[i] - bats.get(i).lastResortW()) * part;
                afterW[i] -= extra;
                plannedW -= extra;
                cuts.batteryPower(bats.get(i).id(), Power.ofWatts(afterW[i]));
            }
        }
        return new Decision(proposal.overriddenBy(cuts.build()), allowedW, expectedW, plannedW, lowestW);
    }

    /**
     * Charges the batteries for the forecast peaks ahead with at most {@code roomW} more import, within each
     * battery's rating and maximum SoC and the planning limit of every phase (counted as the SafetyGuard
     * counts). Returns the power added.
     */
    private static double chargeForPeaks(SiteSnapshot site, Setpoints proposal, List<Bat> bats, double roomW,
            Setpoints.Builder out) {
        if (roomW <= 0) {
            return 0;
        }
        Optional<PhaseCurrents> planned = PhaseBudget.planned(site, proposal);
        if (planned.isEmpty()) {
            return 0;
        }
        PhaseCurrents currents = planned.get();
        double limitAmps = site.limits().planningLimit().amps();
        double volts = site.limits().nominalVoltage().volts();
        double wanted = bats.stream().mapToDouble(b -> Math.max(0, b.ceilingW() - Math.max(0, b.proposedW()))).sum();
        double share = wanted <= 0 ? 0 : Math.min(1, roomW / wanted);
        double added = 0;
        for (Bat b : bats) {
            double base = Math.max(0, b.proposedW());
            double more = Math.max(0, b.ceilingW() - base) * share;
            if (more <= 0) {
                continue;
            }
            // What the phases carry now with the proposal's own power for it; the charge may only add to the room left.
            PhaseCurrents withoutIt = currents.minus(PhaseBudget.batteryDraw(b.state().ratings(),
                    PhaseBudget.creditedBatteryPower(Power.ofWatts(b.proposedW()), b.state().reading()), site.limits().nominalVoltage()));
            double fuseW = b.state().ratings().phases() == 1 ? (limitAmps - withoutIt.l1().amps()) * volts
                    : (limitAmps - withoutIt.max().amps()) * volts * 3;
            double w = Math.min(base + more, fuseW);
            if (w > b.proposedW() + 1e-9) {
                out.batteryPower(b.id(), Power.ofWatts(w));
                added += w - b.proposedW();
                currents = withoutIt.plus(PhaseBudget.batteryDraw(b.state().ratings(), Power.ofWatts(w), site.limits().nominalVoltage()));
            }
        }
        return added;
    }

    /** The most a battery may charge this cycle without going above the site's maximum SoC before the next, within its rating. */
    static double chargeRoomW(SiteSnapshot site, BatteryState b, double periodHours) {
        double soc = b.reading().soc().value();
        double max = site.limits().batteryMaxSoc().value();
        if (soc >= max) {
            return 0;
        }
        double roomWh = (max - soc) / 100.0 * b.ratings().capacity().wattHours();
        return Math.min(b.ratings().maxChargePower().watts(), roomWh / (2 * periodHours));
    }

    /**
     * The most a battery may discharge this cycle without going below the site's minimum SoC before the
     * next (two periods, as the SafetyGuard counts), and within its rating; zero at or below the minimum.
     */
    static double dischargeRoomW(SiteSnapshot site, BatteryState b, double periodHours) {
        return dischargeRoomW(site, b, periodHours, 0);
    }

    /** The same, keeping {@code keepWh} above the minimum SoC as well. */
    static double dischargeRoomW(SiteSnapshot site, BatteryState b, double periodHours, double keepWh) {
        double soc = b.reading().soc().value();
        double min = site.limits().batteryMinSoc().value();
        if (soc <= min) {
            return 0;
        }
        double roomWh = (soc - min) / 100.0 * b.ratings().capacity().wattHours() - keepWh;
        if (roomWh <= 0) {
            return 0;
        }
        return Math.min(b.ratings().maxDischargePower().watts(), roomWh / (2 * periodHours));
    }

    /**
     * Lowers EV limits so they draw at most {@code budgetW} together: the EVs kept running are those
     * already running, then by arrival; the others are paused; the kept ones share a common cap per phase
     * (each at least its minimum, at most its proposal). Returns what they are then expected to draw.
     */
    private static double capEvs(List<Ev> evs, double budgetW, double volts, Setpoints.Builder cuts) {
        List<Ev> keep = new ArrayList<>(evs);
        keep.sort(Comparator.comparing((Ev e) -> !e.running()).thenComparing(Ev::arrived)
                .thenComparing(e -> e.ref().toString()));
        while (!keep.isEmpty() && keep.stream().mapToDouble(e -> e.minimumDrawW(volts)).sum() > budgetW) {
            Ev paused = keep.remove(keep.size() - 1);
            cuts.chargerLimit(paused.ref(), Current.ZERO);
        }
        if (keep.isEmpty()) {
            return 0;
        }
        double hi = keep.stream().mapToDouble(Ev::proposedAmps).max().orElse(0);
        double lo = 0;
        for (int k = 0; k < 50; k++) {
            double mid = (lo + hi) / 2;
            if (draw(keep, mid, volts) <= budgetW) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double total = 0;
        for (Ev e : keep) {
            // Down to 0.1 A, never below the minimum (which fits: checked above), never above the proposal.
            double amps = Math.min(e.proposedAmps(), Math.max(e.minAmps(), Math.floor(Math.max(lo, e.minAmps()) * 10 + 1e-9) / 10));
            if (amps < e.proposedAmps()) {
                cuts.chargerLimit(e.ref(), Current.ofAmps(amps));
            }
            total += Math.min(e.expectedAmps(), amps) * volts * e.phases();
        }
        return total;
    }

    private static double draw(List<Ev> evs, double lambda, double volts) {
        double sum = 0;
        for (Ev e : evs) {
            sum += e.drawW(lambda, volts);
        }
        return sum;
    }
}

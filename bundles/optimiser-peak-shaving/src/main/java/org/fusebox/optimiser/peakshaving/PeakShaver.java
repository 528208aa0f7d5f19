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
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
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

    private record Bat(String id, double proposedW, double floorW) {
    }

    /**
     * @param energySoFarWh import counted so far in the interval
     * @param timeLeft      until the interval ends, positive
     */
    Decision decide(SiteSnapshot site, Setpoints proposal, PeakShavingSettings settings, double energySoFarWh,
            Duration intervalLength, Duration timeLeft) {
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
        double periodHours = site.limits().cyclePeriod().toNanos() / 3.6e12;
        for (BatteryState b : site.batteries()) {
            double measured = b.reading() == null ? 0 : b.reading().power().watts();
            double proposed = proposal.batteryPower(b.id()).map(Power::watts).orElse(measured);
            expectedW += proposed - measured;
            if (b.reading() == null || !b.status().isOnline()) {
                continue;
            }
            bats.add(new Bat(b.id(), proposed, Math.min(proposed, -dischargeRoomW(site, b, periodHours))));
        }
        for (PvState pv : site.pv()) {
            if (pv.reading() != null) {
                Optional<Power> cap = proposal.pvLimit(pv.id());
                if (cap.isPresent()) {
                    expectedW += Math.max(0, pv.reading().power().watts() - cap.get().watts());
                }
            }
        }

        double evExpectedW = evs.stream().mapToDouble(e -> e.expectedAmps() * volts * e.phases()).sum();
        double batteryFlexW = bats.stream().mapToDouble(b -> b.proposedW() - b.floorW()).sum();
        double lowestW = expectedW - batteryFlexW - evExpectedW;
        double need = expectedW - allowedW;
        if (need <= 0) {
            return new Decision(proposal, allowedW, expectedW, expectedW, lowestW);
        }

        Setpoints.Builder cuts = Setpoints.builder();
        double cutW = 0;
        // Battery charging first: it can wait, and the energy stays on site either way.
        List<Bat> afterCharging = new ArrayList<>();
        for (Bat b : bats) {
            double c = b.proposedW() > 0 ? Math.min(b.proposedW(), need - cutW) : 0;
            cutW += c;
            afterCharging.add(new Bat(b.id(), b.proposedW() - c, b.floorW()));
        }
        double flex = afterCharging.stream().mapToDouble(b -> Math.min(0, b.proposedW()) - b.floorW()).sum();
        double share = flex <= 0 ? 0 : Math.min(1, (need - cutW) / flex);
        for (int i = 0; i < afterCharging.size(); i++) {
            Bat b = afterCharging.get(i);
            double discharge = (Math.min(0, b.proposedW()) - b.floorW()) * share;
            double w = b.proposedW() - discharge;
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
        return new Decision(proposal.overriddenBy(cuts.build()), allowedW, expectedW, plannedW, lowestW);
    }

    /**
     * The most a battery may discharge this cycle without going below the site's minimum SoC before the
     * next (two periods, as the SafetyGuard counts), and within its rating; zero at or below the minimum.
     */
    static double dischargeRoomW(SiteSnapshot site, BatteryState b, double periodHours) {
        double soc = b.reading().soc().value();
        double min = site.limits().batteryMinSoc().value();
        if (soc <= min) {
            return 0;
        }
        double roomWh = (soc - min) / 100.0 * b.ratings().capacity().wattHours();
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

package org.fusebox.rest.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;
import org.junit.jupiter.api.Test;

class PauseReasonTest {

    private static CycleReport paused(List<Plan> plans, List<Intervention> interventions) {
        Setpoints applied = SampleCycle.applied().withChargerLimit(SampleCycle.CP1_1, Current.ZERO);
        return new CycleReport(SampleCycle.snapshot(), "period", List.of("ev-deadline", "fuse"), SampleCycle.proposed(), applied,
                interventions, Map.of(), new ControlState(ControlMode.RUNNING, List.of(), SampleCycle.T0), Duration.ofMillis(3), plans);
    }

    private static ConnectorView cp11(CycleReport r) {
        return SiteView.of(r).chargers().get(0).connectors().get(0);
    }

    @Test
    void aPausedEvNamesThePlanAndWhenItMeansToCharge() {
        PowerSlot now = new PowerSlot(SampleCycle.T0, Duration.ofMinutes(15), Power.ZERO);
        PowerSlot later = new PowerSlot(SampleCycle.T0.plus(Duration.ofHours(2)), Duration.ofMinutes(15), Power.ofKilowatts(11));
        PlanLine line = new PlanLine("cp-1", 1, List.of(now, later), Energy.ofKilowattHours(20), Energy.ofKilowattHours(20),
                SampleCycle.T0.plus(Duration.ofHours(8)), null, true, "");
        CycleReport r = paused(List.of(new Plan("ev-deadline", SampleCycle.T0, List.of(line), null, List.of())), List.of());

        assertThat(cp11(r).pausedBecause()).isEqualTo("waiting for the ev-deadline plan: charging planned from 2024-05-01T14:00:00Z,"
                + " 20.0 of 20.0 kWh by 2024-05-01T20:00:00Z (site time)");
        assertThat(SiteView.of(r).chargers().get(0).connectors().get(1).pausedBecause()).as("no EV plugged in").isNull();
    }

    @Test
    void withoutAPlanTheGuardOrTheFuseShareIsTheReason() {
        assertThat(cp11(paused(List.of(), List.of(new Intervention("cp-1/1", "fuse", "asked 32 A, allowed 0 A")))).pausedBecause())
                .isEqualTo("held at 0 A by the guard: fuse: asked 32 A, allowed 0 A");
        assertThat(cp11(paused(List.of(), List.of())).pausedBecause()).startsWith("paused by the optimisers: the current left under the fuse");
        assertThat(cp11(SampleCycle.report()).pausedBecause()).as("charging at 20 A").isNull();
    }
}

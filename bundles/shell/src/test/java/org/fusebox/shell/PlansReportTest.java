package org.fusebox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Money;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;
import org.junit.jupiter.api.Test;

class PlansReportTest {

    private static final Instant T0 = Instant.parse("2024-05-01T22:00:00Z");

    private static String print(List<Plan> plans) {
        CycleReport base = SampleSite.report();
        CycleReport r = new CycleReport(base.snapshot(), base.trigger(), base.optimisers(), base.proposed(), base.applied(),
                base.interventions(), base.writeResults(), base.state(), base.duration(), plans);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PlansReport.print(r, ZoneOffset.UTC, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutPlansItSaysWhatToInstall() {
        assertThat(print(List.of())).contains("fusebox-optimiser-ev-deadline");
    }

    @Test
    void anEvLineShowsEnergyDeadlineCostMissedTargetAndTheNextSlots() {
        List<PowerSlot> slots = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slots.add(new PowerSlot(T0.plus(Duration.ofMinutes(15L * i)), Duration.ofMinutes(15), Power.ofKilowatts(i % 2 == 0 ? 11 : 0)));
        }
        PlanLine ev = new PlanLine("cp-1", 2, slots, Energy.ofKilowattHours(13.75), Energy.ofKilowattHours(20),
                T0.plus(Duration.ofHours(8)), Money.of("1.2345", "EUR"), false, "needs 20 kWh, can get 13.75 kWh by 06:00");
        PlanLine battery = new PlanLine("bat-1", null, slots.subList(0, 2), Energy.ofKilowattHours(2.75), null, null,
                null, true, "");
        String out = print(List.of(new Plan("ev-deadline", T0, List.of(ev, battery), Money.of("1.2345", "EUR"),
                List.of("prices known until 23:00 tomorrow"))));

        assertThat(out).contains("ev-deadline (planned at 22:00, expected cost 1.23 EUR)")
                .contains("note: prices known until 23:00 tomorrow")
                .contains("cp-1/2: 13.75 kWh of 20.00 kWh by 06:00, 1.23 EUR, TARGET MISSED - needs 20 kWh")
                .contains("22:00 11.0  22:15 0.0  22:30 11.0")
                .contains("... 2 more")
                .contains("bat-1: 2.75 kWh, no prices");
        assertThat(out).doesNotContain("bat-1: 2.75 kWh, no prices, TARGET MISSED");
    }
}

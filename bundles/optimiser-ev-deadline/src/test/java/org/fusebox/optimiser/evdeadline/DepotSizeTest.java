package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A depot-sized problem (50 EVs x 96 quarter hours) plans quickly enough to re-plan every cycle or so. */
class DepotSizeTest {

    @Test
    void fiftyEvsOverADayOfQuarterHours() {
        Random rnd = new Random(7);
        List<Slot> slots = new ArrayList<>();
        for (int t = 0; t < 96; t++) {
            double price = 0.05 + 0.1 * Math.sin(t / 96.0 * 2 * Math.PI) + 0.02 * rnd.nextDouble();
            slots.add(new Slot(Instances.T0.plus(Duration.ofMinutes(15L * t)), Duration.ofMinutes(15), price, 250));
        }
        List<EvDemand> evs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            evs.add(new EvDemand("ev" + i, 10 + rnd.nextInt(40), Instances.T0.plus(Duration.ofMinutes(15L * (40 + rnd.nextInt(57)))),
                    11, 4.14));
        }
        DeadlinePlanner planner = new DeadlinePlanner();
        ChargePlan plan = planner.plan(slots, evs);
        assertThat(plan.shortfalls()).isEmpty();
    }
}

package org.fusebox.itests;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.units.Power;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Fast frequency response on the running demo: feature {@code fusebox-optimiser-ffr} installed, the simulated grid's
 * frequency stepped to 49.70 Hz and back, read by the gateway from the SunSpec meter over Modbus TCP. The battery
 * discharges more while the frequency is low and goes back to its plan when it recovers. Measured each time: from the
 * meter reading that first shows the step (its timestamp, the gateway's clock) to the cycle whose battery setpoint
 * answers it (when this test sees that cycle); the numbers go to docs/benchmarks.md, they are not asserted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrequencyResponseIT extends FuseboxKarafTestSupport {

    private static final String FREQUENCY_PID = "fusebox.simulator.gridfrequency";
    private static final String BATTERY = "sim-battery";
    private static final int STEPS = 6;

    @Configuration
    public Option[] options() {
        // a battery with room both ways, so the response is not cut by its SoC band
        return withOptions(demoSite(), editConfigurationFilePut("etc/fusebox.simulator.cfg", "batteryInitialSocPercent", "60"));
    }

    private record Answer(CycleReport cycle, long seenAtMillis) {
    }

    @Test
    public void theBatteryAnswersAFrequencyStepAndReturnsToItsPlan() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        ConfigurationAdmin cm = awaitService(ConfigurationAdmin.class);
        waitFor("the demo RUNNING with a frequency from its meter", () -> loop.lastCycle()
                .filter(r -> r.state().mode() == ControlMode.RUNNING && frequency(r).isPresent()
                        && Math.abs(frequency(r).getAsDouble() - 50.0) < 0.005 && r.applied().batteryPower(BATTERY).isPresent())
                .isPresent());
        featuresService.installFeature("fusebox-optimiser-ffr", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        List<Long> toLow = new ArrayList<>();
        List<Long> toNominal = new ArrayList<>();
        try {
            waitFor("the FFR optimiser in the cycle", () -> loop.lastCycle().map(r -> r.optimisers().toString().contains("ffr")).orElse(false));
            for (int i = 0; i < STEPS; i++) {
                double before = batteryWatts(loop.lastCycle().orElseThrow());
                Answer low = step(cm, loop, 49.70, f -> f < 49.75);
                double during = batteryWatts(low.cycle());
                // a third of the way from the dead band (0.2 Hz) to full response (0.5 Hz): a third of the rating more discharge
                assertTrue(String.format(Locale.ROOT, "step %d: battery %.0f W before, %.0f W at 49.70 Hz: it must discharge more",
                        i, before, during), during < before - 1_000);
                toLow.add(low.seenAtMillis() - low.cycle().snapshot().grid().reading().timestamp().toEpochMilli());

                Answer back = step(cm, loop, 50.00, f -> f > 49.95);
                double after = batteryWatts(back.cycle());
                assertTrue(String.format(Locale.ROOT, "step %d: battery %.0f W at 49.70 Hz, %.0f W back at 50 Hz: the response must end",
                        i, during, after), after > during + 1_000);
                toNominal.add(back.seenAtMillis() - back.cycle().snapshot().grid().reading().timestamp().toEpochMilli());
            }
        } finally {
            cm.getConfiguration(FREQUENCY_PID, null).delete();
            featuresService.uninstallFeature("fusebox-optimiser-ffr", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        System.out.println("FrequencyResponseIT: from the meter reading showing the step to the cycle answering it, ms: to 49.70 Hz "
                + summary(toLow) + "; back to 50.00 Hz " + summary(toNominal));
    }

    /**
     * Sets the simulated grid's frequency and waits for the first cycle whose meter reading shows it and whose battery
     * setpoint differs from the one before the step; the test polls the loop every millisecond, so it sees that cycle
     * within about a millisecond of its completion.
     */
    private Answer step(ConfigurationAdmin cm, ControlLoop loop, double hz, DoublePredicate shows) throws Exception {
        CycleReport last = loop.lastCycle().orElseThrow();
        double plannedBefore = batteryWatts(last);
        cm.getConfiguration(FREQUENCY_PID, null).update(new Hashtable<>(Map.of("frequencyHz", String.format(Locale.ROOT, "%.2f", hz))));
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            CycleReport r = loop.lastCycle().orElseThrow();
            long seen = System.currentTimeMillis();
            if (r.cycle() != last.cycle() && frequency(r).isPresent() && shows.test(frequency(r).getAsDouble())
                    && Math.abs(batteryWatts(r) - plannedBefore) > 500) {
                return new Answer(r, seen);
            }
            Thread.sleep(1);
        }
        CycleReport r = loop.lastCycle().orElseThrow();
        throw new AssertionError("no cycle answered " + hz + " Hz within 30 s; last cycle: frequency " + frequency(r) + ", optimisers "
                + r.optimisers() + ", proposed " + r.proposed().batteries() + ", applied " + r.applied() + ", interventions "
                + r.interventions() + "; ffr health " + healthDetails("ffr"));
    }

    private static OptionalDouble frequency(CycleReport r) {
        return r.snapshot().grid() == null || r.snapshot().grid().reading() == null ? OptionalDouble.empty()
                : r.snapshot().grid().reading().frequency();
    }

    private static double batteryWatts(CycleReport r) {
        return r.applied().batteryPower(BATTERY).map(Power::watts).orElse(0.0);
    }

    private static String summary(List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return "median " + sorted.get(sorted.size() / 2) + ", max " + sorted.get(sorted.size() - 1) + " " + sorted;
    }
}

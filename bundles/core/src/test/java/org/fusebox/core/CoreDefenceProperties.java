package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.device.ConnectorState;

/**
 * The control core's defence in depth, over random histories: whatever the configuration files say and
 * however often the core restarts, it enforces the last valid fuse or holds failsafe; stale, lagging or
 * left-over charger readings and a flaky meter never let the true grid current cross the fuse.
 */
class CoreDefenceProperties {

    // ---- configuration histories and restarts -------------------------------------------------------

    /** What a configuration is, by construction (the test does not ask the core to classify it). */
    enum Kind {
        VALID, INVALID, NOT_CONFIGURED
    }

    record Config(Kind kind, double fuse, Map<String, Object> properties) {
        @Override
        public String toString() {
            return kind + " " + properties;
        }
    }

    /** One event in the history: a new configuration on disk (or none), or a restart of the core bundle. */
    record Op(Config config, boolean restart) {
        @Override
        public String toString() {
            return restart ? "restart" : "configure " + config;
        }
    }

    @Property(tries = 300)
    void theEnforcedFuseIsTheLastValidOneOrFailsafe(@ForAll("histories") List<Op> history) throws IOException {
        Path dir = Files.createTempDirectory("fusebox-core-property");
        LastValidStore store = new LastValidStore(dir.resolve(ControlLoopService.LAST_VALID_FILE));
        TestDevices.Meter meter = new TestDevices.Meter("grid", 5);
        TestDevices.Charger charger = new TestDevices.Charger("a");
        Config onDisk = null;
        Double lastValid = null;
        ControlLoopService loop = null;
        try {
            for (Op op : history) {
                if (op.restart() || loop == null) {
                    if (loop != null) {
                        loop.deactivate();
                    }
                    loop = new ControlLoopService();
                    loop.addGridMeter(meter);
                    loop.addEvCharger(charger);
                    loop.start(onDisk == null ? Map.of() : onDisk.properties(), store);
                }
                if (!op.restart()) {
                    onDisk = op.config();
                    loop.modified(new HashMap<>(onDisk.properties()));
                }
                Kind kind = onDisk == null ? Kind.NOT_CONFIGURED : onDisk.kind();
                if (kind == Kind.VALID) {
                    lastValid = onDisk.fuse();
                }
                Double expected = switch (kind) {
                    case VALID -> onDisk.fuse();
                    case INVALID -> lastValid;
                    case NOT_CONFIGURED -> null;
                };

                loop.runCycleNow("property");
                CycleReport r = loop.lastCycle().orElseThrow();
                if (expected == null) {
                    assertThat(loop.state().mode()).as("failsafe after %s", op).isEqualTo(ControlMode.FAILSAFE);
                    assertThat(loop.state().reasons()).anySatisfy(s -> assertThat(s).startsWith("no valid configuration"));
                    assertThat(charger.lastWrite()).as("EV paused after %s", op).isEqualTo(0.0);
                } else {
                    assertThat(loop.state().mode()).as("running after %s", op).isEqualTo(ControlMode.RUNNING);
                    assertThat(r.snapshot().limits().fuseLimit().amps()).as("fuse after %s", op).isEqualTo(expected);
                    // the EV gets what that fuse leaves, never more: fuse less 2 A margin less 5 A of load, at most 32 A
                    assertThat(charger.lastWrite()).isLessThanOrEqualTo(Math.max(0, Math.min(32, expected - 2 - 5)) + 1e-9);
                }
            }
        } finally {
            if (loop != null) {
                loop.deactivate();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (UncheckedIOException e) {
                // a left-over temp file does not make the property wrong
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> configure = configs().map(c -> new Op(c, false));
        Arbitrary<Op> restart = Arbitraries.just(new Op(null, true));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, configure),
                net.jqwik.api.Tuple.of(1, restart)).list().ofMinSize(1).ofMaxSize(12);
    }

    private static Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put("felix.fileinstall.filename", "file:/opt/fusebox/etc/fusebox.core.cfg");
        m.put("service.pid", "fusebox.core");
        m.put("cyclePeriodMillis", "60000");
        m.put("safetyMarginAmps", "2");
        return m;
    }

    private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
        m.put(key, value);
        return m;
    }

    Arbitrary<Config> configs() {
        // Valid: a fuse of 10..4000 A, as a number or the string a file gives.
        Arbitrary<Config> valid = Combinators.combine(Arbitraries.integers().between(10, 4000), Arbitraries.of(true, false))
                .as((amps, asString) -> new Config(Kind.VALID, amps, with(base(), "fuseLimitAmps", asString ? amps.toString() : (Object) amps.doubleValue())));
        Arbitrary<Config> outOfRange = Arbitraries.of("1e9", "4000.5", "0.5", "-5", "0", "-1e300", "1e308")
                .map(v -> new Config(Kind.INVALID, 0, with(base(), "fuseLimitAmps", v)));
        Arbitrary<Config> notANumber = Arbitraries.<Object>of("NaN", Double.NaN, "Infinity", Double.NEGATIVE_INFINITY, "sixty", "63 A", "", "0x3f",
                Boolean.TRUE, List.of(63)).map(v -> new Config(Kind.INVALID, 0, with(base(), "fuseLimitAmps", v)));
        Arbitrary<Config> badOther = Combinators.combine(Arbitraries.integers().between(10, 4000),
                Arbitraries.of("safetyMarginAmps=9999", "phases=2", "nominalVoltage=1e9", "batteryMinSocPercent=-1", "batteryMaxSocPercent=NaN",
                        "cyclePeriodMillis=1", "connectorReadingMaxAgeMillis=x", "safetyMarginAmp=3", "fuselimitamps=25"))
                .as((amps, bad) -> {
                    String[] kv = bad.split("=", 2);
                    return new Config(Kind.INVALID, 0, with(with(base(), "fuseLimitAmps", amps.toString()), kv[0], kv[1]));
                });
        Arbitrary<Config> typo = Arbitraries.of("fuseLimitAmp", "fuselimitAmps", "fuse_limit_amps", "FuseLimitAmps", "fuseLimitAmps ")
                .map(k -> new Config(Kind.NOT_CONFIGURED, 0, with(base(), k, "25")));
        Arbitrary<Config> missing = Arbitraries.just(new Config(Kind.NOT_CONFIGURED, 0, base()));
        Arbitrary<Config> deleted = Arbitraries.just(new Config(Kind.NOT_CONFIGURED, 0, Map.of("component.name", "org.fusebox.core.ControlLoopService")));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, valid),
                net.jqwik.api.Tuple.of(2, outOfRange),
                net.jqwik.api.Tuple.of(2, notANumber),
                net.jqwik.api.Tuple.of(2, badOther),
                net.jqwik.api.Tuple.of(1, typo),
                net.jqwik.api.Tuple.of(1, missing),
                net.jqwik.api.Tuple.of(1, deleted));
    }

    // ---- chargers whose readings lag, stop or stay behind -------------------------------------------

    /** What may happen to one EV in one second. */
    enum EvEvent {
        NOTHING, PAUSES_WITHOUT_TELLING, RESUMES, WANTS_LESS, WANTS_MORE, CHARGER_STOPS_REPORTING, CHARGER_REPORTS_AGAIN,
        TRANSACTION_STOPS_EV_STAYS_PLUGGED, SAMPLES_SLOWER
    }

    record Second(List<EvEvent> events, double loadStep, boolean meterFails) {
    }

    @Property(tries = 300)
    void staleOrLeftOverChargerReadingsNeverLetTheTrueGridCurrentCrossTheFuse(
            @ForAll @IntRange(min = 1, max = 4) int evs,
            @ForAll @IntRange(min = 0, max = 40) int load,
            @ForAll("minutes") List<Second> history) {
        SimulatedSite site = new SimulatedSite(evs, load);
        try {
            for (Second s : history) {
                apply(site, s);
                site.second(false);
                assertThat(site.mode()).isEqualTo(ControlMode.RUNNING);
                // every EV may take its whole limit before the next cycle, and the load may rise by 0.5 A
                assertThat(site.worstCaseAmps() + 0.5).as("worst case next second after %s", s).isLessThanOrEqualTo(SimulatedSite.FUSE + 1e-6);
                assertThat(site.trueGridAmps()).isLessThanOrEqualTo(SimulatedSite.FUSE + 1e-6);
            }
        } finally {
            site.stop();
        }
    }

    @Property(tries = 300)
    void aFlakyMeterNeitherOverloadsTheFuseNorFlapsTheChargers(
            @ForAll @IntRange(min = 1, max = 4) int evs,
            @ForAll @IntRange(min = 0, max = 40) int load,
            @ForAll("minutes") List<Second> history) {
        // A reading timeout longer than the guard's window: a meter may stay stale for longer than the window.
        SimulatedSite site = new SimulatedSite(evs, load, Map.of("readingTimeoutMillis", 10_000L));
        int staleRun = 0;
        try {
            site.second(false);
            double seenLoad = site.uncontrolled;
            for (Second s : history) {
                // the driver's staleness bound: at most eight polls in a row fail, under the 10 s reading timeout
                boolean fails = s.meterFails() && staleRun < 8;
                staleRun = fails ? staleRun + 1 : 0;
                for (SimulatedSite.Charger c : site.chargers) {
                    // a fresh charger on every second: only the meter is flaky here
                    c.sampleEvery = 1;
                    c.stopsReporting = false;
                }
                applyEvBehaviour(site, s);
                site.uncontrolled = clamp(site.uncontrolled + s.loadStep(), 0, 40);
                site.second(fails);
                if (!fails) {
                    seenLoad = site.uncontrolled;
                }

                assertThat(site.mode()).as("no failsafe for a stale meter reading").isEqualTo(ControlMode.RUNNING);
                CycleReport r = site.loop.lastCycle().orElseThrow();
                assertThat(r.interventions()).noneSatisfy(i -> assertThat(i.rule()).isEqualTo("failsafe"));
                if (fails) {
                    assertThat(site.loop.state().reasons()).anySatisfy(reason -> assertThat(reason).contains("grid meter grid stale"));
                }
                // What the guard can know is the load at the last answered poll (a rise nobody measured is what
                // the margin is for): with it, every EV at its whole limit stays within the fuse less the margin.
                double worstSeen = seenLoad + site.chargers.stream().mapToDouble(c -> c.limit).sum();
                assertThat(worstSeen).as("worst case on the load last measured, %d polls stale", staleRun)
                        .isLessThanOrEqualTo(SimulatedSite.FUSE - SimulatedSite.MARGIN + 1e-6);
            }
        } finally {
            site.stop();
        }
    }

    private static void apply(SimulatedSite site, Second s) {
        applyEvBehaviour(site, s);
        for (int i = 0; i < site.chargers.size(); i++) {
            SimulatedSite.Charger c = site.chargers.get(i);
            switch (s.events().get(i % s.events().size())) {
                case CHARGER_STOPS_REPORTING -> c.stopsReporting = true;
                case CHARGER_REPORTS_AGAIN -> c.stopsReporting = false;
                case TRANSACTION_STOPS_EV_STAYS_PLUGGED -> {
                    // the charger says Finishing and sends no more meter values: its last currents stay behind
                    c.sessionEnded = true;
                    c.reportedState = ConnectorState.FINISHING;
                    c.stopsReporting = true;
                }
                case SAMPLES_SLOWER -> c.sampleEvery = Math.min(3, c.sampleEvery + 1);
                default -> {
                }
            }
        }
        site.uncontrolled = clamp(site.uncontrolled + s.loadStep(), 0, 40);
    }

    private static void applyEvBehaviour(SimulatedSite site, Second s) {
        for (int i = 0; i < site.chargers.size(); i++) {
            SimulatedSite.Charger c = site.chargers.get(i);
            switch (s.events().get(i % s.events().size())) {
                case PAUSES_WITHOUT_TELLING -> c.evPaused = true;
                case RESUMES -> c.evPaused = false;
                case WANTS_LESS -> c.wants = Math.max(6, c.wants - 7);
                case WANTS_MORE -> c.wants = Math.min(SimulatedSite.CHARGER_MAX, c.wants + 9);
                default -> {
                }
            }
        }
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Provide
    Arbitrary<List<Second>> minutes() {
        return seconds().list().ofMinSize(5).ofMaxSize(60);
    }

    Arbitrary<Second> seconds() {
        Arbitrary<List<EvEvent>> events = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Arbitraries.just(EvEvent.NOTHING)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(EvEvent.values())))
                .list().ofSize(4);
        Arbitrary<Double> step = Arbitraries.doubles().between(-0.5, 0.5);
        Arbitrary<Boolean> fails = Arbitraries.frequency(net.jqwik.api.Tuple.of(2, true), net.jqwik.api.Tuple.of(3, false));
        return Combinators.combine(events, step, fails).as(Second::new);
    }

    static List<Op> list(Op... ops) {
        return new ArrayList<>(List.of(ops));
    }
}

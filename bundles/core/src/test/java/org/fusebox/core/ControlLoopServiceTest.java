package org.fusebox.core;

import org.fusebox.testing.TestSites;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Plan;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.Forecaster;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;
import org.osgi.framework.Constants;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Optimiser;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.SiteSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlLoopServiceTest {

    private final ControlLoopService loop = new ControlLoopService();

    @AfterEach
    void stop() {
        loop.deactivate();
    }

    /** Period long enough that only explicit and fast-path cycles run during a test. */
    private static Map<String, Object> slow(Map<String, Object> more) {
        java.util.Map<String, Object> m = new java.util.HashMap<>(more);
        m.putIfAbsent("cyclePeriodMillis", 60_000L);
        return TestDevices.config(m);
    }

    @Test
    void runsAndGivesEachEvItsShareOfTheFuse() {
        TestDevices.Meter meter = new TestDevices.Meter("grid", 10);
        TestDevices.Charger a = new TestDevices.Charger("a");
        TestDevices.Charger b = new TestDevices.Charger("b");
        loop.addGridMeter(meter);
        loop.addEvCharger(a);
        loop.addEvCharger(b);
        loop.start(slow(Map.of()), null);

        loop.runCycleNow("test");

        assertThat(loop.state().mode()).isEqualTo(ControlMode.RUNNING);
        // 40 A fuse, 2 A margin, 10 A uncontrolled: 28 A for two chargers.
        assertThat(a.lastWrite()).isEqualTo(14.0);
        assertThat(b.lastWrite()).isEqualTo(14.0);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void holdsFailsafeWithoutAGridMeterAndResumesWhenItReturns() {
        TestDevices.Meter meter = new TestDevices.Meter("grid", 10);
        TestDevices.Charger a = new TestDevices.Charger("a");
        loop.addEvCharger(a);
        loop.start(slow(Map.of()), null);

        loop.runCycleNow("test");
        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(loop.state().reasons()).contains("no grid meter");
        assertThat(a.lastWrite()).isEqualTo(8.0); // its failsafe current

        loop.addGridMeter(meter);
        loop.runCycleNow("test");
        assertThat(loop.state().mode()).isEqualTo(ControlMode.RUNNING);
        assertThat(a.lastWrite()).isEqualTo(28.0);

        loop.removeGridMeter(meter);
        loop.runCycleNow("test");
        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(a.lastWrite()).isEqualTo(8.0);
    }

    @Test
    void aLeavingChargerIsPutInItsSafeStateAndReportedMissingUntilItReturns() {
        TestDevices.Meter meter = new TestDevices.Meter("grid", 0);
        TestDevices.Charger a = new TestDevices.Charger("a");
        TestDevices.Bat bat = new TestDevices.Bat();
        loop.addGridMeter(meter);
        loop.addEvCharger(a);
        loop.addBattery(bat);
        loop.start(slow(Map.of()), null);
        loop.runCycleNow("test");
        assertThat(a.lastWrite()).isEqualTo(32.0);

        loop.removeEvCharger(a);
        loop.removeBattery(bat);
        assertThat(a.lastWrite()).isEqualTo(8.0);
        assertThat(bat.writes).last().isEqualTo(0.0);
        loop.runCycleNow("test");
        assertThat(loop.state().reasons()).contains("a missing: held in its safe state");
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DEGRADED);

        TestDevices.Charger back = new TestDevices.Charger("a");
        loop.addEvCharger(back);
        loop.runCycleNow("test");
        assertThat(back.lastWrite()).isEqualTo(32.0);
        assertThat(loop.state().reasons()).doesNotContain("a missing: held in its safe state");
    }

    @Test
    void refusesAnInvalidConfigurationAndKeepsThePreviousOne() {
        TestDevices.Meter meter = new TestDevices.Meter("grid", 0);
        loop.addGridMeter(meter);
        loop.start(slow(Map.of("fuseLimitAmps", 63.0)), null);

        loop.modified(slow(Map.of("fuseLimitAmps", -5.0, "batteryMinSocPercent", 90.0, "batteryMaxSocPercent", 10.0)));
        loop.runCycleNow("test");

        CycleReport r = loop.lastCycle().orElseThrow();
        assertThat(r.snapshot().limits().fuseLimit().amps()).isEqualTo(63.0);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("fuseLimitAmps must be a positive number of amps, got -5.0"));
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("batteryMinSocPercent (90.0) must be below batteryMaxSocPercent (10.0)"));

        loop.modified(slow(Map.of("fuseLimitAmps", 50.0)));
        loop.runCycleNow("test");
        assertThat(loop.lastCycle().orElseThrow().snapshot().limits().fuseLimit().amps()).isEqualTo(50.0);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void withNoValidConfigurationEverEveryLoadIsPaused() {
        TestDevices.Meter meter = new TestDevices.Meter("grid", 0);
        TestDevices.Charger a = new TestDevices.Charger("a");
        loop.addGridMeter(meter);
        loop.addEvCharger(a);
        loop.start(slow(Map.of("phases", 2)), null);

        loop.runCycleNow("test");

        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(a.lastWrite()).isEqualTo(0.0);
    }

    @Test
    void anOverloadAtTheMeterRunsACycleAtOnce() throws Exception {
        TestDevices.Meter meter = new TestDevices.Meter("grid", 10);
        loop.addGridMeter(meter);
        loop.start(slow(Map.of()), null);
        waitFor(() -> loop.lastCycle().isPresent());
        long before = loop.lastCycle().orElseThrow().cycle();

        meter.set(45); // over 40 A - 2 A

        waitFor(() -> loop.lastCycle().orElseThrow().cycle() > before);
        assertThat(loop.lastCycle().orElseThrow().trigger()).startsWith("overload L1 45.0 A > 38.0 A");
    }

    @Test
    void aFailingOptimiserIsReportedAndTheCycleGoesOn() {
        TestDevices.Meter meter = new TestDevices.Meter("grid", 0);
        TestDevices.Charger a = new TestDevices.Charger("a");
        loop.addGridMeter(meter);
        loop.addEvCharger(a);
        loop.addOptimiser(new Optimiser() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Tier tier() {
                return Tier.ECONOMIC;
            }

            @Override
            public Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
                throw new IllegalStateException("no prices");
            }
        }, Map.of());
        loop.start(slow(Map.of()), null);

        loop.runCycleNow("test");

        assertThat(a.lastWrite()).isEqualTo(32.0);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("broken failed").contains("no prices"));
    }

    @Test
    void aSuddenDipInTheUncontrolledLoadIsNotHandedOutAtOnce() {
        TestDevices.Meter meter = new TestDevices.Meter("grid", 20);
        TestDevices.Charger a = new TestDevices.Charger("a");
        loop.addGridMeter(meter);
        loop.addEvCharger(a);
        loop.start(slow(Map.of()), null);

        loop.runCycleNow("test");
        // 40 A fuse, 2 A margin, 20 A uncontrolled: 18 A for the EV
        assertThat(a.lastWrite()).isEqualTo(18.0);

        // the estimate drops by 15 A (a reading that may not have caught up yet): the EV keeps 18 A
        meter.set(5);
        loop.runCycleNow("test");
        assertThat(a.lastWrite()).isEqualTo(18.0);
        assertThat(loop.lastCycle().orElseThrow().interventions()).anySatisfy(i -> assertThat(i.rule()).isEqualTo("fuse"));
    }

    @Test
    void theHighestRankedForecasterPerKindReachesTheSnapshotAndABrokenOneIsSkipped() {
        loop.addGridMeter(new TestDevices.Meter("grid", 0));
        Instant t = Instant.now().truncatedTo(ChronoUnit.HOURS);
        loop.addForecaster(forecaster("low-rank-pv", ForecastKind.PV_PRODUCTION, t, 1000), Map.of(Constants.SERVICE_RANKING, 1));
        loop.addForecaster(forecaster("high-rank-pv", ForecastKind.PV_PRODUCTION, t, 5000), Map.of(Constants.SERVICE_RANKING, 10));
        loop.addForecaster(new Forecaster() {
            @Override
            public String id() {
                return "broken-load";
            }

            @Override
            public ForecastKind kind() {
                return ForecastKind.SITE_LOAD;
            }

            @Override
            public PowerForecast forecast(Instant from, Instant to) {
                throw new IllegalStateException("no history");
            }
        }, Map.of(Constants.SERVICE_RANKING, 50));
        loop.addForecaster(forecaster("load", ForecastKind.SITE_LOAD, t, 2000), Map.of());
        loop.start(slow(Map.of()), null);

        loop.runCycleNow("test");

        SiteSnapshot site = loop.lastCycle().orElseThrow().snapshot();
        assertThat(site.forecast(ForecastKind.PV_PRODUCTION).source()).isEqualTo("high-rank-pv");
        assertThat(site.forecast(ForecastKind.PV_PRODUCTION).slots().get(0).power().watts()).isEqualTo(5000);
        assertThat(site.forecast(ForecastKind.SITE_LOAD).source()).isEqualTo("load");
    }

    @Test
    void plansOfPlanningOptimisersAreInTheReportAndABrokenPlanKeepsTheSetpoints() {
        TestDevices.Charger a = new TestDevices.Charger("a");
        loop.addGridMeter(new TestDevices.Meter("grid", 0));
        loop.addEvCharger(a);
        Plan plan = new Plan("planner", Instant.EPOCH, List.of(), null, List.of("nothing to do"));
        loop.addOptimiser(planner("planner", proposal -> Optional.of(plan)), Map.of());
        loop.addOptimiser(planner("half-broken", proposal -> {
            throw new IllegalStateException("plan lost");
        }), Map.of());
        loop.start(slow(Map.of()), null);

        loop.runCycleNow("test");

        CycleReport r = loop.lastCycle().orElseThrow();
        assertThat(r.plans()).containsExactly(plan);
        // the half-broken optimiser's setpoint still counts: it caps the charger at 10 A
        assertThat(a.lastWrite()).isEqualTo(10.0);
        assertThat(r.optimisers()).anySatisfy(n -> assertThat(n).contains("half-broken plan unavailable"));
    }

    private static Optimiser planner(String name, java.util.function.Function<Setpoints, Optional<Plan>> plan) {
        return new Optimiser() {
            private Setpoints last;

            @Override
            public String name() {
                return name;
            }

            @Override
            public Tier tier() {
                return Tier.ECONOMIC;
            }

            @Override
            public Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
                last = proposal;
                return name.equals("half-broken")
                        ? Setpoints.empty().withChargerLimit(new ConnectorRef("a", 1), Current.ofAmps(10))
                        : Setpoints.empty();
            }

            @Override
            public Optional<Plan> plan() {
                return plan.apply(last);
            }
        };
    }

    private static Forecaster forecaster(String id, ForecastKind kind, Instant start, double watts) {
        return new Forecaster() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public ForecastKind kind() {
                return kind;
            }

            @Override
            public PowerForecast forecast(Instant from, Instant to) {
                return new PowerForecast(kind, id, List.of(new PowerSlot(start, Duration.ofHours(1), Power.ofWatts(watts))));
            }
        };
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}

package org.fusebox.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.site.SiteClock;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Power;
import org.fusebox.simulator.model.SiteConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static final Instant NOON = Instant.parse("2024-06-21T12:00:00Z");

    private final AtomicLong realNanos = new AtomicLong(5_000_000_000L);
    private final List<Simulation> started = new ArrayList<>();

    private Simulation simulation(SiteConfig.Builder site, double speed, Duration tick) {
        return new Simulation(site.build(), speed, tick, realNanos::get);
    }

    private static SiteConfig.Builder site() {
        return SiteConfig.builder().start(NOON).zone(ZoneOffset.UTC).initialOccupancy(1).chargers(2)
                .evArrivalMeanInterval(Duration.ofDays(10_000));
    }

    private static <T> T device(Simulation sim, Class<T> role, String id) {
        return sim.devices().stream().filter(role::isInstance).filter(d -> d.id().equals(id)).map(role::cast)
                .findFirst().orElseThrow();
    }

    private void realTimePasses(Duration d) {
        realNanos.addAndGet(d.toNanos());
    }

    @AfterEach
    void stopAll() {
        started.forEach(Simulation::stop);
    }

    @Test
    void offersOneDeviceOfEachRoleWithReadingsFromTheStart() {
        Simulation sim = simulation(site(), 1, Duration.ofSeconds(1));
        assertThat(sim.devices()).extracting(Device::id)
                .containsExactly("sim-grid", "sim-pv", "sim-battery", "sim-charger-1", "sim-charger-2");
        assertThat(sim.devices()).allSatisfy(d -> assertThat(d.status().isOnline()).isTrue());
        assertThat(device(sim, GridMeter.class, "sim-grid").reading()).hasValueSatisfying(
                r -> assertThat(r.timestamp()).isEqualTo(NOON));
        assertThat(device(sim, PvInverter.class, "sim-pv").reading()).isPresent();
        assertThat(device(sim, Battery.class, "sim-battery").reading()).isPresent();
        assertThat(device(sim, EvCharger.class, "sim-charger-2").reading()).isPresent();
    }

    @Test
    void eachStepAdvancesSimulatedTimeByTickTimesSpeed() {
        Simulation sim = simulation(site(), 60, Duration.ofMillis(500));
        GridMeter meter = device(sim, GridMeter.class, "sim-grid");
        sim.tick();
        sim.tick();
        assertThat(meter.reading().orElseThrow().timestamp()).isEqualTo(NOON.plusSeconds(60));
    }

    @Test
    void batteryWritesAreAppliedAtTheNextStep() {
        Simulation sim = simulation(site(), 1, Duration.ofSeconds(1));
        Battery battery = device(sim, Battery.class, "sim-battery");

        WriteResult result = battery.setPower(Power.ofWatts(-3_000)).toCompletableFuture().getNow(null);
        assertThat(result).isNotNull();
        assertThat(result.isAccepted()).isTrue();
        assertThat(battery.reading().orElseThrow().setpoint()).isEqualTo(Power.ZERO);

        sim.tick();
        assertThat(battery.reading().orElseThrow().setpoint()).isEqualTo(Power.ofWatts(-3_000));
        assertThat(battery.reading().orElseThrow().power()).isEqualTo(Power.ofWatts(-3_000));
        assertThat(battery.ratings().phases()).isEqualTo(3);
    }

    @Test
    void chargerWritesAreCheckedAndApplied() {
        Simulation sim = simulation(site(), 60, Duration.ofSeconds(1));
        EvCharger charger = device(sim, EvCharger.class, "sim-charger-1");
        assertThat(charger.connectors()).singleElement().satisfies(c -> {
            assertThat(c.connectorId()).isEqualTo(1);
            assertThat(c.phases()).hasSize(3);
            assertThat(c.minCurrent()).isEqualTo(Current.ofAmps(6));
        });

        assertThat(outcome(charger.setCurrentLimit(2, Current.ofAmps(16)))).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(outcome(charger.setCurrentLimit(0, Current.ofAmps(16)))).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(outcome(charger.setCurrentLimit(1, Current.ofAmps(-1)))).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(outcome(charger.setCurrentLimit(1, null))).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(outcome(charger.setCurrentLimit(1, Current.ofAmps(10)))).isEqualTo(WriteResult.Outcome.ACCEPTED);

        sim.tick();
        ConnectorReading c = charger.reading().orElseThrow().connector(1).orElseThrow();
        assertThat(c.currentLimit()).isEqualTo(Current.ofAmps(10));
        assertThat(c.state()).isEqualTo(ConnectorState.CHARGING);
        assertThat(c.currents().max().amps()).isLessThanOrEqualTo(10);
        assertThat(c.currents().max().amps()).isPositive();
    }

    @Test
    void aChargerFallsBackToItsFailsafeWhenNotToldForTheTimeout() {
        Simulation sim = simulation(site().failsafeTimeout(Duration.ofSeconds(10)), 1, Duration.ofSeconds(1));
        EvCharger charger = device(sim, EvCharger.class, "sim-charger-1");
        charger.setCurrentLimit(1, Current.ofAmps(20));
        sim.tick();
        assertThat(charger.reading().orElseThrow().connector(1).orElseThrow().currentLimit()).isEqualTo(Current.ofAmps(20));

        realTimePasses(Duration.ofSeconds(11));
        sim.tick();
        ConnectorReading c = charger.reading().orElseThrow().connector(1).orElseThrow();
        assertThat(c.currentLimit()).isEqualTo(charger.connectors().get(0).failsafeCurrent());
    }

    @Test
    void sessionsAreReportedInFull() {
        Simulation sim = simulation(site(), 600, Duration.ofSeconds(1));
        EvCharger charger = device(sim, EvCharger.class, "sim-charger-1");
        charger.setCurrentLimit(1, Current.ofAmps(16));
        sim.tick();
        EvSession s = charger.reading().orElseThrow().connector(1).orElseThrow().session();
        assertThat(s).isNotNull();
        assertThat(s.sessionId()).isNotBlank();
        assertThat(s.idTag()).isNotBlank();
        assertThat(s.startedAt()).isEqualTo(NOON);
        assertThat(s.delivered().wattHours()).isPositive();
        assertThat(s.energyRequested().wattHours()).isPositive();
        assertThat(s.departure()).isAfter(NOON);
        assertThat(s.soc()).isNotNull();
        assertThat(s.batteryCapacity().kilowattHours()).isBetween(40.0, 80.0);
    }

    @Test
    void pvAcceptsACapAndRefusesANegativeOne() {
        Simulation sim = simulation(site(), 1, Duration.ofSeconds(1));
        PvInverter pv = device(sim, PvInverter.class, "sim-pv");
        assertThat(pv.supportsCurtailment()).isTrue();
        assertThat(outcome(pv.limitOutput(Power.ofWatts(-1)))).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(outcome(pv.limitOutput(Power.ofKilowatts(2)))).isEqualTo(WriteResult.Outcome.ACCEPTED);
        sim.tick();
        assertThat(pv.reading().orElseThrow().outputLimit()).isEqualTo(Power.ofKilowatts(2));
        assertThat(pv.reading().orElseThrow().power().watts()).isBetween(0.0, 2_000.0);
    }

    @Test
    void listenersHearEveryStepAndAFailingOneHarmsNoOne() {
        Simulation sim = simulation(site(), 1, Duration.ofSeconds(1));
        GridMeter meter = device(sim, GridMeter.class, "sim-grid");
        AtomicInteger heard = new AtomicInteger();
        meter.addReadingListener(d -> {
            throw new IllegalStateException("broken listener");
        });
        meter.addReadingListener(d -> heard.incrementAndGet());
        sim.tick();
        sim.tick();
        assertThat(heard).hasValue(2);
    }

    @Test
    void theClockRunsOnBetweenStepsButNeverPastTheNextOne() {
        Simulation sim = simulation(site(), 60, Duration.ofSeconds(1));
        Clock clock = sim.clock();
        sim.tick();
        Instant afterStep = clock.instant();
        assertThat(afterStep).isEqualTo(NOON.plusSeconds(60));

        realTimePasses(Duration.ofMillis(500));
        assertThat(clock.instant()).isEqualTo(afterStep.plusSeconds(30));

        realTimePasses(Duration.ofSeconds(5));
        Instant capped = clock.instant();
        assertThat(capped).isEqualTo(afterStep.plusSeconds(60));

        sim.tick();
        assertThat(clock.instant()).isEqualTo(capped);
        assertThat(clock.withZone(ZoneOffset.ofHours(2)).instant()).isEqualTo(capped);
    }

    @Test
    void registersEveryDeviceWithItsIdAndTheSiteClockAndWithdrawsThemOnStop() {
        FakeBundleContext bundle = new FakeBundleContext();
        Simulation sim = simulation(site(), 1, Duration.ofSeconds(10));
        sim.start(bundle.context());
        started.add(sim);

        assertThat(bundle.live(GridMeter.class)).hasSize(1);
        assertThat(bundle.live(PvInverter.class)).hasSize(1);
        assertThat(bundle.live(Battery.class)).hasSize(1);
        assertThat(bundle.live(EvCharger.class)).hasSize(2);
        assertThat(bundle.liveWith(Device.DEVICE_ID_PROPERTY, "sim-charger-2")).isPresent();
        assertThat(bundle.liveWith(SiteClock.SERVICE_PROPERTY, SiteClock.SITE))
                .hasValueSatisfying(r -> assertThat(r.objectClass).isEqualTo(Clock.class.getName()));

        sim.stop();
        assertThat(bundle.live()).isEmpty();
        Battery battery = (Battery) bundle.everRegistered().stream().filter(r -> r.service instanceof Battery)
                .findFirst().orElseThrow().service;
        assertThat(outcome(battery.setPower(Power.ofWatts(100)))).isEqualTo(WriteResult.Outcome.FAILED);
        assertThat(battery.status().isOnline()).isFalse();
        sim.stop();
    }

    @Test
    void reportsAnOverloadedFuseWithPhaseAndMargin() {
        Simulation sim = simulation(site().fuseLimitAmps(20).pvPeakWatts(0), 1, Duration.ofSeconds(1));
        for (EvCharger c : sim.devices().stream().filter(EvCharger.class::isInstance).map(EvCharger.class::cast).toList()) {
            c.setCurrentLimit(1, Current.ofAmps(32));
        }
        for (int i = 0; i < 40; i++) {
            sim.tick();
        }
        assertThat(sim.fuseOverload()).hasValueSatisfying(m -> assertThat(m).contains("overloaded on L", "above the 20 A fuse"));

        Simulation calm = simulation(site().chargers(0).fuseLimitAmps(200), 1, Duration.ofSeconds(1));
        calm.tick();
        assertThat(calm.fuseOverload()).isEmpty();
    }

    private static WriteResult.Outcome outcome(java.util.concurrent.CompletionStage<WriteResult> stage) {
        WriteResult r = stage.toCompletableFuture().getNow(null);
        assertThat(r).as("completed at once").isNotNull();
        return r.outcome();
    }
}

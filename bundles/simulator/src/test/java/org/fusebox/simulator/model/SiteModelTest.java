package org.fusebox.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.units.Phase;
import org.junit.jupiter.api.Test;

class SiteModelTest {

    private final TestSites.ManualNanos realTime = new TestSites.ManualNanos();

    record Command(int seconds, double batteryWatts, double chargerAmps, double pvCapWatts) {
    }

    @Provide
    Arbitrary<List<Command>> commands() {
        Arbitrary<Command> one = Combinators.combine(
                Arbitraries.integers().between(1, 1800),
                Arbitraries.doubles().between(-30_000, 30_000),
                Arbitraries.doubles().between(0, 40),
                Arbitraries.doubles().between(0, 30_000)).as(Command::new);
        return one.list().ofMinSize(1).ofMaxSize(30);
    }

    private static void apply(SiteModel m, Command c) {
        m.battery().ifPresent(b -> b.setPower(c.batteryWatts()));
        m.pv().ifPresent(pv -> pv.limitOutput(c.pvCapWatts()));
        m.chargePoints().forEach(p -> p.setCurrentLimit(c.chargerAmps()));
    }

    private static double evWattHours(SiteModel m) {
        return m.chargePoints().stream().mapToDouble(ChargePoint::meterWattHours).sum();
    }

    @Property(tries = 40)
    void theMeterSeesExactlyWhatFlowsBehindIt(@ForAll long seed, @ForAll("commands") List<Command> commands,
            @ForAll boolean singlePhaseChargers) {
        SiteModel m = new SiteModel(SiteConfig.builder().seed(seed).chargerPhases(singlePhaseChargers ? 1 : 3)
                .evArrivalMeanInterval(Duration.ofMinutes(20)).build(), realTime);
        double volts = m.config().nominalVolts();
        for (Command c : commands) {
            apply(m, c);
            m.step(Duration.ofSeconds(c.seconds()));

            double pvWatts = m.pv().orElseThrow().watts();
            double batteryWatts = m.battery().orElseThrow().watts();
            double evWatts = m.chargePoints().stream().mapToDouble(ChargePoint::watts).sum();
            GridConnection g = m.grid();
            assertThat(g.watts()).isCloseTo(m.house().watts() + batteryWatts + evWatts - pvWatts, within(1e-6));
            for (Phase ph : Phase.values()) {
                double evAmps = m.chargePoints().stream().mapToDouble(p -> p.amps(ph)).sum();
                double expected = m.house().watts() * HouseLoad.phaseShare(ph) / volts - pvWatts / (3 * volts)
                        + batteryWatts / (3 * volts) + evAmps;
                assertThat(g.amps(ph)).isCloseTo(expected, within(1e-9));
            }
        }
        GridConnection g = m.grid();
        StorageBattery b = m.battery().orElseThrow();
        double consumed = m.house().consumedWattHours() + evWattHours(m) + b.chargedWattHours() - b.dischargedWattHours();
        double net = g.importedWattHours() - g.exportedWattHours();
        assertThat(net).isCloseTo(consumed - m.pv().orElseThrow().producedWattHours(), within(1e-6 * (1 + Math.abs(consumed))));
    }

    @Test
    void theSameSeedReplaysTheSameSite() {
        SiteConfig c = SiteConfig.builder().seed(7).evArrivalMeanInterval(Duration.ofMinutes(15)).build();
        List<String> first = trace(new SiteModel(c, realTime));
        List<String> second = trace(new SiteModel(c, realTime));
        List<String> otherSeed = trace(new SiteModel(c.toBuilder().seed(8).build(), realTime));

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    private static List<String> trace(SiteModel m) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            m.chargePoints().forEach(p -> p.setCurrentLimit(16));
            m.step(Duration.ofMinutes(15));
            StringBuilder line = new StringBuilder().append(m.now()).append(' ').append(m.grid().watts());
            m.chargePoints().forEach(p -> line.append(' ').append(p.state()).append(' ').append(p.amps())
                    .append(' ').append(p.session().map(ChargingSession::idTag).orElse("-")));
            out.add(line.toString());
        }
        return out;
    }

    @Test
    void aLongStepIsTheSameAsTheSubstepsItIsMadeOf() {
        SiteConfig c = SiteConfig.builder().seed(3).maxSubstep(Duration.ofSeconds(5)).build();
        SiteModel once = new SiteModel(c, realTime);
        SiteModel sliced = new SiteModel(c, realTime);
        once.step(Duration.ofHours(2));
        for (int i = 0; i < 2 * 720; i++) {
            sliced.step(Duration.ofSeconds(5));
        }
        assertThat(once.now()).isEqualTo(sliced.now());
        assertThat(once.grid().importedWattHours()).isEqualTo(sliced.grid().importedWattHours());
        assertThat(once.grid().watts()).isEqualTo(sliced.grid().watts());
    }

    @Test
    void recordsHowLongAndHowFarTheFuseWasOverloaded() {
        // four chargers at 32 A on three phases against a 40 A fuse: an overload whenever they all charge
        SiteConfig c = TestSites.quiet().fuseLimitAmps(40).pvPeakWatts(0).batteryCapacityWattHours(0)
                .initialOccupancy(1).build();
        SiteModel m = new SiteModel(c, realTime);
        double overloadedSeconds = 0;
        for (int i = 0; i < 600; i++) {
            m.chargePoints().forEach(p -> p.setCurrentLimit(32));
            m.step(Duration.ofSeconds(1));
            double highest = 0;
            for (Phase ph : Phase.values()) {
                highest = Math.max(highest, Math.abs(m.grid().amps(ph)));
            }
            if (highest > c.fuseLimitAmps()) {
                overloadedSeconds += 1;
            }
            assertThat(m.grid().isOverloaded()).isEqualTo(highest > c.fuseLimitAmps());
            assertThat(m.grid().maxPhaseAmps()).isGreaterThanOrEqualTo(highest);
        }
        assertThat(overloadedSeconds).isPositive();
        assertThat(m.grid().overloadSeconds()).isEqualTo(overloadedSeconds);
        assertThat(m.grid().maxPhaseAmps()).isGreaterThan(c.fuseLimitAmps());
    }

    @Test
    void aSiteWithinItsFuseRecordsNoOverload() {
        SiteConfig c = TestSites.quiet().fuseLimitAmps(63).initialOccupancy(1).build();
        SiteModel m = new SiteModel(c, realTime);
        for (int i = 0; i < 24 * 12; i++) {
            m.chargePoints().forEach(p -> p.setCurrentLimit(6));
            m.battery().orElseThrow().setPower(0);
            m.step(Duration.ofMinutes(5));
        }
        assertThat(m.grid().overloadSeconds()).isZero();
        assertThat(m.grid().maxPhaseAmps()).isPositive().isLessThan(c.fuseLimitAmps());
    }

    @Test
    void evsArriveChargeAndLeave() {
        SiteConfig c = TestSites.quiet().chargers(3).evArrivalMeanInterval(Duration.ofMinutes(30)).build();
        SiteModel m = new SiteModel(c, realTime);
        boolean sawCharging = false;
        boolean sawLeave = false;
        List<ConnectorState> before = m.chargePoints().stream().map(ChargePoint::state).toList();
        for (int i = 0; i < 2 * 24 * 60; i++) {
            m.chargePoints().forEach(p -> p.setCurrentLimit(16));
            m.step(Duration.ofMinutes(1));
            for (int k = 0; k < m.chargePoints().size(); k++) {
                ChargePoint p = m.chargePoints().get(k);
                sawCharging |= p.state() == ConnectorState.CHARGING && p.amps() > 0;
                sawLeave |= before.get(k) == ConnectorState.FINISHING && p.state() == ConnectorState.AVAILABLE;
                if (p.session().isPresent()) {
                    ChargingSession s = p.session().get();
                    assertThat(s.departure()).isAfter(s.startedAt());
                    assertThat(s.deliveredWattHours()).isLessThanOrEqualTo(s.vehicle().energyRequestedWattHours() + 1e-6);
                    assertThat(s.socPercent()).isBetween(0.0, 100.0);
                    if (p.state() != ConnectorState.FINISHING) {
                        assertThat(m.now()).isBefore(s.departure().plus(c.maxSubstep()));
                    }
                }
            }
            before = m.chargePoints().stream().map(ChargePoint::state).toList();
        }
        assertThat(sawCharging).isTrue();
        assertThat(sawLeave).isTrue();
        // about 96 arrivals in two days; a generous band so only a broken process fails
        assertThat(m.sessionsStarted() + m.evsTurnedAway()).isBetween(60L, 140L);
    }

    @Test
    void evsFindingEveryConnectorBusyDriveOn() {
        SiteConfig c = TestSites.quiet().chargers(1).initialOccupancy(1).evArrivalMeanInterval(Duration.ofMinutes(5)).build();
        SiteModel m = new SiteModel(c, realTime);
        m.step(Duration.ofMinutes(50));
        assertThat(m.evsTurnedAway()).isPositive();
        assertThat(m.sessionsStarted()).isEqualTo(1);
    }

    @Test
    void aSiteWithoutPvBatteryOrChargersIsJustTheBuilding() {
        SiteConfig c = TestSites.quiet().pvPeakWatts(0).batteryCapacityWattHours(0).chargers(0).build();
        SiteModel m = new SiteModel(c, realTime);
        m.step(Duration.ofHours(1));
        assertThat(m.pv()).isEmpty();
        assertThat(m.battery()).isEmpty();
        assertThat(m.chargePoints()).isEmpty();
        assertThat(m.grid().watts()).isCloseTo(m.house().watts(), within(1e-9));
    }

    @Test
    void refusesToGoBackInTime() {
        SiteModel m = new SiteModel(TestSites.quiet().build(), realTime);
        assertThatThrownBy(() -> m.step(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}

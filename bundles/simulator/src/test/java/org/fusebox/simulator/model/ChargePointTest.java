package org.fusebox.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.units.Phase;
import org.junit.jupiter.api.Test;

class ChargePointTest {

    private static final double VOLTS = 230;

    private final TestSites.ManualNanos realTime = new TestSites.ManualNanos();
    private Instant now = TestSites.MIDSUMMER;

    private ChargePoint point(int phases) {
        SiteConfig c = TestSites.quiet().chargerPhases(phases).chargerMinAmps(6).chargerMaxAmps(32)
                .chargerFailsafeAmps(8).build();
        return new ChargePoint(1, SiteModel.phasesOfCharger(1, phases), c, realTime);
    }

    private ChargingSession plugIn(ChargePoint p, double capacityWh, double socPercent, double requestedWh,
            double evMaxAmps, Duration stay) {
        ElectricVehicle ev = new ElectricVehicle(capacityWh, socPercent, requestedWh, evMaxAmps, now.plus(stay));
        ChargingSession s = new ChargingSession("s-1", "TAG", ev, now);
        p.plugIn(s, now);
        return s;
    }

    private void run(ChargePoint p, Duration d) {
        long steps = d.toSeconds();
        for (long i = 0; i < steps; i++) {
            now = now.plusSeconds(1);
            p.advance(now, 1, realTime.getAsLong());
        }
    }

    @Test
    void preparesThenChargesAtTheLowestOfLimitEvAndConnector() {
        ChargePoint p = point(3);
        plugIn(p, 60_000, 20, 30_000, 16, Duration.ofHours(4));
        p.setCurrentLimit(20);

        run(p, Duration.ofSeconds(5));
        assertThat(p.state()).isEqualTo(ConnectorState.PREPARING);
        assertThat(p.amps()).isZero();

        run(p, ChargePoint.PREPARING_TIME);
        assertThat(p.state()).isEqualTo(ConnectorState.CHARGING);
        assertThat(p.amps()).isEqualTo(16);

        p.setCurrentLimit(10);
        run(p, Duration.ofSeconds(1));
        assertThat(p.amps()).isEqualTo(10);

        p.setCurrentLimit(100);
        run(p, Duration.ofSeconds(1));
        assertThat(p.limitAmps()).isEqualTo(p.maxAmps());
        assertThat(p.amps()).isEqualTo(16);
    }

    @Test
    void aLimitBelowTheMinimumPausesTheConnector() {
        ChargePoint p = point(3);
        plugIn(p, 60_000, 20, 30_000, 32, Duration.ofHours(4));
        p.setCurrentLimit(16);
        run(p, Duration.ofMinutes(1));
        assertThat(p.state()).isEqualTo(ConnectorState.CHARGING);

        for (double pause : new double[] { 0, 3, 5.99 }) {
            p.setCurrentLimit(pause);
            run(p, Duration.ofSeconds(1));
            assertThat(p.state()).as("limit %s A", pause).isEqualTo(ConnectorState.SUSPENDED_EVSE);
            assertThat(p.amps()).isZero();
        }

        p.setCurrentLimit(6);
        run(p, Duration.ofSeconds(1));
        assertThat(p.state()).isEqualTo(ConnectorState.CHARGING);
        assertThat(p.amps()).isEqualTo(6);
    }

    @Test
    void countsDeliveredEnergyIntoSessionSocAndMeter() {
        ChargePoint p = point(3);
        ChargingSession s = plugIn(p, 50_000, 20, 40_000, 16, Duration.ofHours(8));
        p.setCurrentLimit(16);
        run(p, ChargePoint.PREPARING_TIME);
        assertThat(p.state()).isEqualTo(ConnectorState.CHARGING);
        double before = s.deliveredWattHours();
        run(p, Duration.ofHours(1));

        double expectedWh = 16 * VOLTS * 3 * 3600 / 3600.0;
        assertThat(s.deliveredWattHours() - before).isCloseTo(expectedWh, within(1e-6));
        assertThat(p.meterWattHours()).isEqualTo(s.deliveredWattHours());
        assertThat(s.socPercent()).isCloseTo(20 + 100 * s.deliveredWattHours() / 50_000, within(1e-9));
    }

    @Test
    void stopsWhenTheRequestIsMetAndShowsTheEvAsSuspended() {
        ChargePoint p = point(3);
        ChargingSession s = plugIn(p, 50_000, 20, 2_000, 32, Duration.ofHours(8));
        p.setCurrentLimit(32);
        run(p, Duration.ofHours(1));

        assertThat(s.deliveredWattHours()).isCloseTo(2_000, within(1e-3));
        assertThat(p.state()).isEqualTo(ConnectorState.SUSPENDED_EV);
        assertThat(p.amps()).isZero();
    }

    @Test
    void tapersAboveEightyPercent() {
        ChargePoint p = point(3);
        ChargingSession s = plugIn(p, 50_000, 90, 5_000, 32, Duration.ofHours(8));
        p.setCurrentLimit(32);
        run(p, ChargePoint.PREPARING_TIME.plusSeconds(1));

        double soc = s.socPercent();
        assertThat(p.amps()).isLessThan(32).isGreaterThan(32 * ElectricVehicle.TAPER_FLOOR);
        assertThat(soc).isGreaterThan(90);
    }

    @Test
    void leavesAtDepartureThroughFinishingToAvailable() {
        ChargePoint p = point(3);
        ChargingSession s = plugIn(p, 60_000, 20, 30_000, 32, Duration.ofMinutes(30));
        p.setCurrentLimit(32);
        run(p, Duration.ofMinutes(30));
        assertThat(p.state()).isEqualTo(ConnectorState.FINISHING);
        assertThat(p.amps()).isZero();
        assertThat(p.session()).contains(s);

        run(p, ChargePoint.FINISHING_TIME);
        assertThat(p.state()).isEqualTo(ConnectorState.AVAILABLE);
        assertThat(p.session()).isEmpty();
    }

    @Test
    void fallsBackToItsFailsafeCurrentWhenTheControllerIsQuiet() {
        ChargePoint p = point(3);
        plugIn(p, 60_000, 20, 30_000, 32, Duration.ofHours(4));
        run(p, ChargePoint.PREPARING_TIME);
        // never told anything: a charger that boots without its controller runs on the failsafe
        assertThat(p.limitAmps()).isEqualTo(p.failsafeAmps());

        p.setCurrentLimit(25);
        realTime.advance(Duration.ofSeconds(9));
        run(p, Duration.ofSeconds(1));
        assertThat(p.amps()).isEqualTo(25);

        realTime.advance(Duration.ofSeconds(2));
        run(p, Duration.ofSeconds(1));
        assertThat(p.limitAmps()).isEqualTo(p.failsafeAmps());
        assertThat(p.amps()).isEqualTo(p.failsafeAmps());

        p.setCurrentLimit(0);
        run(p, Duration.ofSeconds(1));
        assertThat(p.state()).isEqualTo(ConnectorState.SUSPENDED_EVSE);
    }

    @Test
    void singlePhaseChargersAreRotatedOverThePhases() {
        assertThat(SiteModel.phasesOfCharger(1, 1)).containsExactly(Phase.L1);
        assertThat(SiteModel.phasesOfCharger(2, 1)).containsExactly(Phase.L2);
        assertThat(SiteModel.phasesOfCharger(3, 1)).containsExactly(Phase.L3);
        assertThat(SiteModel.phasesOfCharger(4, 1)).containsExactly(Phase.L1);
        assertThat(SiteModel.phasesOfCharger(5, 3)).containsExactly(Phase.L1, Phase.L2, Phase.L3);
    }

    @Test
    void refusesANegativeLimit() {
        ChargePoint p = point(3);
        assertThatThrownBy(() -> p.setCurrentLimit(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<List<Double>> limits() {
        return Arbitraries.doubles().between(0, 40).list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 200)
    void neverDrawsMoreThanAllowedNorOnPhasesItDoesNotUse(@ForAll("limits") List<Double> limits,
            @ForAll @IntRange(min = 1, max = 2) int phaseChoice, @ForAll boolean smallEv,
            @ForAll @IntRange(min = 1, max = 600) int secondsPerLimit) {
        int phases = phaseChoice == 1 ? 1 : 3;
        ChargePoint p = point(phases);
        double evMax = smallEv ? 16 : 32;
        plugIn(p, 80_000, 10, 70_000, evMax, Duration.ofDays(1));
        for (double limit : limits) {
            p.setCurrentLimit(limit);
            now = now.plusSeconds(secondsPerLimit);
            p.advance(now, secondsPerLimit, realTime.getAsLong());

            assertThat(p.amps()).isLessThanOrEqualTo(Math.min(limit, Math.min(evMax, p.maxAmps())));
            if (limit < p.minAmps()) {
                assertThat(p.amps()).isZero();
            }
            for (Phase ph : Phase.values()) {
                if (!p.phases().contains(ph)) {
                    assertThat(p.amps(ph)).isZero();
                }
            }
            assertThat(p.watts()).isCloseTo(p.amps() * VOLTS * phases, within(1e-9));
        }
    }

    @Test
    void governedExternallyAnEvWaitsForItsAuthorisationAndTheLimitIsTheGovernedOne() {
        ChargePoint p = point(3);
        p.governExternally();
        ChargingSession s = plugIn(p, 60_000, 20, 30_000, 32, Duration.ofHours(4));
        p.governLimit(13);

        run(p, ChargePoint.PREPARING_TIME.plusSeconds(30));
        assertThat(p.state()).as("not authorised").isEqualTo(ConnectorState.PREPARING);
        assertThat(s.authorised()).isFalse();
        assertThat(p.authorise("another")).isFalse();
        assertThat(p.authorise("s-1")).isTrue();
        run(p, Duration.ofSeconds(1));
        assertThat(p.state()).isEqualTo(ConnectorState.CHARGING);
        assertThat(p.amps()).isEqualTo(13);

        // no watchdog: the governed limit holds however long nobody writes
        realTime.advance(Duration.ofHours(1));
        run(p, Duration.ofSeconds(1));
        assertThat(p.amps()).isEqualTo(13);

        assertThat(p.awaitAuthorisation("s-1")).isTrue();
        run(p, Duration.ofSeconds(1));
        assertThat(p.state()).isEqualTo(ConnectorState.PREPARING);
        assertThat(p.amps()).isZero();
    }

    @Test
    void anEndedSessionFinishesAndAnInoperativeConnectorTurnsUnavailableOnceFree() {
        ChargePoint p = point(3);
        p.governExternally();
        plugIn(p, 60_000, 20, 30_000, 32, Duration.ofHours(4));
        p.authorise("s-1");
        p.governLimit(16);
        run(p, ChargePoint.PREPARING_TIME.plusSeconds(5));
        p.setOperative(false);
        assertThat(p.state()).as("busy: later").isEqualTo(ConnectorState.CHARGING);

        assertThat(p.endSession("s-1")).isTrue();
        assertThat(p.endSession("s-1")).as("ending already").isFalse();
        run(p, Duration.ofSeconds(1));
        assertThat(p.state()).isEqualTo(ConnectorState.FINISHING);
        assertThat(p.amps()).isZero();
        run(p, ChargePoint.FINISHING_TIME);
        assertThat(p.state()).isEqualTo(ConnectorState.UNAVAILABLE);
        assertThat(p.session()).isEmpty();

        p.setOperative(true);
        assertThat(p.state()).isEqualTo(ConnectorState.AVAILABLE);
    }
}

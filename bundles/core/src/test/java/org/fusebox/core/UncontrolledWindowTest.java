package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.junit.jupiter.api.Test;

class UncontrolledWindowTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aDipIsNotTrustedUntilItHasLastedTheWindow() {
        UncontrolledWindow w = new UncontrolledWindow(Duration.ofSeconds(3));

        assertThat(w.reserve(0, PhaseCurrents.ofAmps(30, 20, 10))).isEqualTo(PhaseCurrents.ZERO);
        // the estimate dips on L1 (an EV stopped before its charger said so): keep the 20 A difference
        PhaseCurrents r = w.reserve(1 * S, PhaseCurrents.ofAmps(10, 20, 12));
        assertThat(r.on(Phase.L1).amps()).isEqualTo(20.0);
        assertThat(r.on(Phase.L2).amps()).isEqualTo(0.0);
        assertThat(r.on(Phase.L3).amps()).isEqualTo(0.0);
        assertThat(w.reserve(2 * S, PhaseCurrents.ofAmps(10, 20, 12)).on(Phase.L1).amps()).isEqualTo(20.0);
        // once the high estimate is older than the window, the lower load is believed
        assertThat(w.reserve(3 * S + 1, PhaseCurrents.ofAmps(10, 20, 12))).isEqualTo(PhaseCurrents.ZERO);
    }

    @Test
    void aRiseIsBelievedAtOnce() {
        UncontrolledWindow w = new UncontrolledWindow(Duration.ofSeconds(3));
        w.reserve(0, PhaseCurrents.ofAmps(10, 10, 10));

        assertThat(w.reserve(S / 2, PhaseCurrents.ofAmps(40, 10, 10))).isEqualTo(PhaseCurrents.ZERO);
    }

    @Test
    void clearingForgetsThePast() {
        UncontrolledWindow w = new UncontrolledWindow(Duration.ofSeconds(3));
        w.reserve(0, PhaseCurrents.ofAmps(50, 50, 50));
        w.clear();

        assertThat(w.reserve(S, PhaseCurrents.ofAmps(5, 5, 5))).isEqualTo(PhaseCurrents.ZERO);
    }

    @Test
    void whileNoNewMeterReadingArrivesTheHighDoesNotExpire() {
        UncontrolledWindow w = new UncontrolledWindow(Duration.ofSeconds(3), Duration.ofSeconds(1));
        w.reserve(0, true, PhaseCurrents.ofAmps(30, 30, 30));
        // the meter keeps handing out its last reading for 10 s while a charger's reading makes the estimate dip
        for (int s = 1; s <= 10; s++) {
            assertThat(w.reserve(s * S, false, PhaseCurrents.ofAmps(20, 30, 30)).on(Phase.L1).amps()).as("%d s", s).isEqualTo(10.0);
        }
        // fresh readings again: the drop counts once it has lasted 3 s of them, not at the first one after the gap
        assertThat(w.reserve(11 * S, true, PhaseCurrents.ofAmps(20, 30, 30)).on(Phase.L1).amps()).isEqualTo(10.0);
        assertThat(w.reserve(12 * S, true, PhaseCurrents.ofAmps(20, 30, 30)).on(Phase.L1).amps()).isEqualTo(10.0);
        assertThat(w.reserve(13 * S, true, PhaseCurrents.ofAmps(20, 30, 30)).on(Phase.L1).amps()).isEqualTo(10.0);
        assertThat(w.reserve(14 * S, true, PhaseCurrents.ofAmps(20, 30, 30)).on(Phase.L1).amps()).isEqualTo(0.0);
    }

    @Test
    void aResizedWindowKeepsItsHighs() {
        UncontrolledWindow w = new UncontrolledWindow(Duration.ofSeconds(3), Duration.ofSeconds(1));
        w.reserve(0, true, PhaseCurrents.ofAmps(30, 30, 30));
        UncontrolledWindow longer = w.resized(Duration.ofSeconds(6), Duration.ofSeconds(1));

        assertThat(longer.hasShape(Duration.ofSeconds(6), Duration.ofSeconds(1))).isTrue();
        assertThat(longer.reserve(S, true, PhaseCurrents.ofAmps(10, 30, 30)).on(Phase.L1).amps()).isEqualTo(20.0);
        assertThat(longer.reserve(5 * S, true, PhaseCurrents.ofAmps(10, 30, 30)).on(Phase.L1).amps()).isEqualTo(20.0);
    }

    @Test
    void aRiseAfterADipCountsOnTopOfTheDip() {
        UncontrolledWindow w = new UncontrolledWindow(Duration.ofSeconds(15), Duration.ofSeconds(1));
        w.reserve(0, PhaseCurrents.ofAmps(10, 10, 10));
        // an EV stops while its charger still shows 16 A: the estimate falls by 16 A on every phase
        assertThat(w.reserve(S, PhaseCurrents.ofAmps(-6, -6, -6)).on(Phase.L1).amps()).isEqualTo(16.0);
        // the true load rises by 2 A on L1: seen as -4 A, still under the old high, yet 2 A more than before
        PhaseCurrents r = w.reserve(2 * S, PhaseCurrents.ofAmps(-4, -6, -6));
        assertThat(-4 + r.on(Phase.L1).amps()).as("believed on L1").isEqualTo(12.0);
        assertThat(-6 + r.on(Phase.L2).amps()).as("believed on L2").isEqualTo(10.0);
    }

    @Test
    void aFallWhileTheMeterStandsStillIsKeptWhenMerged() {
        UncontrolledWindow w = new UncontrolledWindow(Duration.ofSeconds(3), Duration.ofSeconds(1));
        w.reserve(0, true, PhaseCurrents.ofAmps(10, 10, 10));
        // no new meter reading: three estimates of one moment, a fall from 20 to 5 among them
        w.reserve(S, false, PhaseCurrents.ofAmps(20, 10, 10));
        w.reserve(2 * S, false, PhaseCurrents.ofAmps(5, 10, 10));
        assertThat(w.reserve(3 * S, false, PhaseCurrents.ofAmps(8, 10, 10)).on(Phase.L1).amps()).isEqualTo(15.0);
    }
}

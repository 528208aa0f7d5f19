package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stale readings, charger and meter, through the real loop on a site whose physics the test knows. */
class StaleReadingsTest {

    private SimulatedSite site;

    @AfterEach
    void stop() {
        site.stop();
    }

    @Test
    void aFinishingConnectorsLeftOverCurrentsAreNotHandedToTheOtherEvs() {
        site = new SimulatedSite(3, 20);
        for (int i = 0; i < 3; i++) {
            site.second(false);
        }
        // 63 - 2 - 20 = 41 A shared by three EVs
        assertThat(site.worstCaseAmps()).isLessThanOrEqualTo(61 + 1e-6);
        SimulatedSite.Charger first = site.chargers.get(0);
        double itsLimit = first.limit;
        assertThat(itsLimit).isGreaterThan(6);

        // the transaction stops, the EV stays plugged in, the charger says Finishing and its last currents stay
        first.sessionEnded = true;
        first.reportedState = ConnectorState.FINISHING;
        first.stopsReporting = true;
        for (int i = 0; i < 10; i++) {
            site.second(false);
            assertThat(site.worstCaseAmps()).as("second %d after the stop", i).isLessThanOrEqualTo(61 + 1e-6);
        }
        assertThat(first.limit).isZero();
        // the two others now share what the first one left: 41 A between them
        assertThat(site.chargers.get(1).limit + site.chargers.get(2).limit).isGreaterThan(2 * itsLimit);
    }

    @Test
    void anEvThatStopsDrawingWhileItsChargerFallsSilentIsNotFreeHeadroom() {
        site = new SimulatedSite(2, 30);
        for (int i = 0; i < 3; i++) {
            site.second(false);
        }
        SimulatedSite.Charger quiet = site.chargers.get(0);
        quiet.stopsReporting = true;
        quiet.evPaused = true;
        for (int i = 0; i < 15; i++) {
            site.second(false);
            assertThat(site.worstCaseAmps()).as("second %d", i).isLessThanOrEqualTo(61 + 1e-6);
        }
        assertThat(site.mode()).isEqualTo(ControlMode.RUNNING);
    }

    @Test
    void aMeterStaleForLongerThanTheWindowKeepsTheHighItLastConfirmed() {
        site = new SimulatedSite(2, 30, Map.of("readingTimeoutMillis", 10_000L));
        SimulatedSite.Charger paused = site.chargers.get(0);
        paused.evPaused = true;
        for (int i = 0; i < 6; i++) {
            site.second(false);
        }
        double seenLoad = site.uncontrolled;
        // the meter stops answering; the paused EV starts drawing its limit, which only its charger shows
        site.second(true);
        paused.evPaused = false;
        for (int i = 0; i < 8; i++) {
            site.second(true);
            assertThat(site.mode()).isEqualTo(ControlMode.RUNNING);
            double worstSeen = seenLoad + site.chargers.stream().mapToDouble(c -> c.limit).sum();
            assertThat(worstSeen).as("stale for %d s", i + 2).isLessThanOrEqualTo(61 + 1e-6);
        }
        assertThat(site.loop.state().reasons()).anySatisfy(r -> assertThat(r).startsWith("grid meter grid stale (no answer to the last poll)"));
        assertThat(site.loop.health().status()).isEqualTo(HealthStatus.DEGRADED);

        site.second(false);
        assertThat(site.loop.state().reasons()).noneSatisfy(r -> assertThat(r).contains("stale"));
    }

    @Test
    void aMeterTooOldIsStillAFault() {
        site = new SimulatedSite(1, 10);
        site.second(false);
        for (int i = 0; i < 6; i++) {
            site.second(true);
        }
        assertThat(site.mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(site.chargers.get(0).limit).isEqualTo(SimulatedSite.FAILSAFE_AMPS);
    }
}

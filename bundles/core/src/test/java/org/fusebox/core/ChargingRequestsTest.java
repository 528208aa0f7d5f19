package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class ChargingRequestsTest {

    /** Site time, fixed so that "in the future" is exact. */
    private static final Instant NOW = Instant.parse("2026-11-23T18:00:00Z");
    private static final Instant CHARGER_DEPARTURE = NOW.plusSeconds(3 * 3600);
    private static final Instant DRIVER_DEPARTURE = NOW.plusSeconds(12 * 3600);
    private static final ConnectorRef A1 = new ConnectorRef("a", 1);

    private final ControlLoopService loop = new ControlLoopService();
    private final TestDevices.Charger charger = new TestDevices.Charger("a");
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        loop.setSiteClock(Clock.fixed(NOW, ZoneOffset.UTC));
        loop.setEventAdmin(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        });
        loop.addGridMeter(new TestDevices.Meter("grid", 0));
        loop.addEvCharger(charger);
        charger.session = session("tx-1", 5_000);
        Map<String, Object> config = new HashMap<>();
        config.put("cyclePeriodMillis", 60_000L); // only explicit cycles during a test
        loop.start(TestDevices.config(config), null);
    }

    @AfterEach
    void stop() {
        loop.deactivate();
    }

    /** A session that has delivered {@code deliveredWh} and whose charger asks for 30 kWh by three hours from now. */
    private static EvSession session(String id, double deliveredWh) {
        return new EvSession(id, "TAG-7", NOW.minusSeconds(1800), Energy.ofWattHours(deliveredWh), Energy.ofKilowattHours(30),
                CHARGER_DEPARTURE, Percent.of(40), null);
    }

    private static ChargingRequest request(ConnectorRef ref, double kwh, Instant departure) {
        return new ChargingRequest(ref, Energy.ofKilowattHours(kwh), departure, NOW);
    }

    private EvSession sessionInLastSnapshot() {
        loop.runCycleNow("test");
        return loop.lastCycle().orElseThrow().snapshot().charger("a").orElseThrow().connectorReading(1).orElseThrow().session();
    }

    private List<Event> requestEvents() {
        return events.stream().filter(e -> e.getTopic().equals(FuseboxEvents.CHARGING_REQUEST)).toList();
    }

    @Test
    void theNextSnapshotShowsTheRequestCountedFromWhatWasDeliveredWhenItWasMade() {
        ChargingRequest r = request(A1, 20, DRIVER_DEPARTURE);

        loop.submit(r);
        charger.session = session("tx-1", 7_000); // charging goes on

        EvSession s = sessionInLastSnapshot();
        assertThat(s.energyRequested()).isEqualTo(Energy.ofWattHours(25_000)); // 5 kWh delivered then + 20 kWh
        assertThat(s.remaining()).isEqualTo(Energy.ofWattHours(18_000));
        assertThat(s.departure()).isEqualTo(DRIVER_DEPARTURE);
        assertThat(s.sessionId()).isEqualTo("tx-1");
        assertThat(s.delivered()).isEqualTo(Energy.ofWattHours(7_000));
        assertThat(s.soc()).isEqualTo(Percent.of(40));
        assertThat(loop.get(A1)).contains(r);
        assertThat(loop.all()).containsExactly(r);
    }

    @Test
    void anAcceptedRequestIsAnnouncedOnEventAdmin() {
        loop.submit(request(A1, 20.5, DRIVER_DEPARTURE));

        assertThat(requestEvents()).singleElement().satisfies(e -> {
            assertThat(e.getProperty(FuseboxEvents.CONNECTOR)).isEqualTo("a/1");
            assertThat(e.getProperty(FuseboxEvents.ENERGY_WH)).isEqualTo(20_500.0);
            assertThat(e.getProperty(FuseboxEvents.DEPARTURE)).isEqualTo("2026-11-24T06:00:00Z");
        });
    }

    @Test
    void withoutARequestTheChargersOwnValuesStand() {
        EvSession s = sessionInLastSnapshot();

        assertThat(s.energyRequested()).isEqualTo(Energy.ofKilowattHours(30));
        assertThat(s.departure()).isEqualTo(CHARGER_DEPARTURE);
    }

    @Test
    void aNewRequestReplacesThePreviousOne() {
        loop.submit(request(A1, 20, DRIVER_DEPARTURE));
        ChargingRequest second = request(A1, 10, DRIVER_DEPARTURE.plusSeconds(600));

        loop.submit(second);

        assertThat(loop.all()).containsExactly(second);
        assertThat(sessionInLastSnapshot().energyRequested()).isEqualTo(Energy.ofWattHours(15_000));
    }

    @Test
    void anUnknownChargerOrConnectorIsRefused() {
        assertThatThrownBy(() -> loop.submit(request(new ConnectorRef("nope", 1), 20, DRIVER_DEPARTURE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no charger nope");
        assertThatThrownBy(() -> loop.submit(request(new ConnectorRef("a", 2), 20, DRIVER_DEPARTURE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("charger a has no connector 2");

        assertThat(loop.all()).isEmpty();
        assertThat(requestEvents()).isEmpty();
    }

    @Test
    void aConnectorWithoutAnEvIsRefused() {
        charger.session = null;

        assertThatThrownBy(() -> loop.submit(request(A1, 20, DRIVER_DEPARTURE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no EV is plugged in at a/1");
        assertThat(loop.all()).isEmpty();
    }

    @Test
    void aDepartureThatIsNotInTheFutureOfTheSiteClockIsRefused() {
        assertThatThrownBy(() -> loop.submit(request(A1, 20, NOW)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("departure 2026-11-23T18:00:00Z is not in the future (site time is 2026-11-23T18:00:00Z)");
        assertThatThrownBy(() -> loop.submit(request(A1, 20, NOW.minusSeconds(60))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the future");

        assertThat(loop.all()).isEmpty();
        assertThat(sessionInLastSnapshot().departure()).isEqualTo(CHARGER_DEPARTURE);
    }

    @Test
    void aChargerThatCannotBeReadRefusesWithAnIllegalState() {
        charger.readFailure = new IllegalStateException("modbus timeout");

        assertThatThrownBy(() -> loop.submit(request(A1, 20, DRIVER_DEPARTURE)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("charger a cannot be read").hasMessageContaining("modbus timeout");
        assertThat(loop.all()).isEmpty();
    }

    @Test
    void theRequestIsDroppedWhenTheEvLeaves() {
        loop.submit(request(A1, 20, DRIVER_DEPARTURE));

        charger.session = null;
        assertThat(sessionInLastSnapshot()).isNull();
        assertThat(loop.get(A1)).isEmpty();

        // the next EV gets its charger's values, not the last driver's request
        charger.session = session("tx-2", 0);
        assertThat(sessionInLastSnapshot().energyRequested()).isEqualTo(Energy.ofKilowattHours(30));
    }

    @Test
    void theRequestIsDroppedWhenAnotherSessionStarts() {
        loop.submit(request(A1, 20, DRIVER_DEPARTURE));

        charger.session = session("tx-2", 0);
        EvSession s = sessionInLastSnapshot();

        assertThat(s.sessionId()).isEqualTo("tx-2");
        assertThat(s.departure()).isEqualTo(CHARGER_DEPARTURE);
        assertThat(loop.all()).isEmpty();
    }

    @Test
    void aChargerBeingUpgradedKeepsItsRequestsForTheSameSession() {
        loop.submit(request(A1, 20, DRIVER_DEPARTURE));

        loop.removeEvCharger(charger);
        loop.runCycleNow("test");
        TestDevices.Charger upgraded = new TestDevices.Charger("a");
        upgraded.session = session("tx-1", 6_000);
        loop.addEvCharger(upgraded);

        EvSession s = sessionInLastSnapshot();
        assertThat(s.energyRequested()).isEqualTo(Energy.ofWattHours(25_000));
        assertThat(s.departure()).isEqualTo(DRIVER_DEPARTURE);
    }

    @Test
    void aWithdrawnRequestNoLongerApplies() {
        loop.submit(request(A1, 20, DRIVER_DEPARTURE));
        sessionInLastSnapshot();

        assertThat(loop.withdraw(A1)).isTrue();

        EvSession s = sessionInLastSnapshot();
        assertThat(s.energyRequested()).isEqualTo(Energy.ofKilowattHours(30));
        assertThat(s.departure()).isEqualTo(CHARGER_DEPARTURE);
        assertThat(loop.get(A1)).isEmpty();
        assertThat(loop.withdraw(A1)).isFalse();
    }
}

package org.fusebox.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class SimulatorComponentTest {

    /** A tick so long that the simulation thread never steps during a test, leaving it to the test. */
    private static final long QUIET_TICK = 10_000L;

    private final FakeBundleContext bundle = new FakeBundleContext();
    private final SimulatorComponent component = new SimulatorComponent();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private boolean active;

    private final EventAdmin eventAdmin = new EventAdmin() {
        @Override
        public void postEvent(Event event) {
            events.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            events.add(event);
        }
    };

    private static SimulatorConfig config(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        values.put("tickMillis", QUIET_TICK);
        values.put("startTime", "2024-06-21T10:00:00Z");
        values.put("timeZone", "UTC");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return ConfigValues.of(SimulatorConfig.class, values);
    }

    private void activate(SimulatorConfig config) {
        component.bindEventAdmin(eventAdmin);
        component.activate(bundle.context(), config);
        active = true;
    }

    @AfterEach
    void deactivate() {
        if (active) {
            component.deactivate();
        }
    }

    @Test
    void theGridFrequencyIsSetThroughItsOwnPidAndOutlivesARebuild() throws Exception {
        activate(config());
        org.osgi.service.cm.ManagedService frequency = (org.osgi.service.cm.ManagedService) bundle
                .liveWith(org.osgi.framework.Constants.SERVICE_PID, GridFrequencyConfiguration.PID).orElseThrow().service;
        component.simulation().tick();
        assertThat(bundle.live(GridMeter.class).get(0).reading().orElseThrow().frequency()).hasValue(50.0);

        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("frequencyHz", "49.7");
        frequency.updated(props);
        component.simulation().tick();
        assertThat(bundle.live(GridMeter.class).get(0).reading().orElseThrow().frequency()).hasValue(49.7);

        component.modified(config("chargers", 2)); // a rebuilt site keeps the grid's frequency
        component.simulation().tick();
        assertThat(bundle.live(GridMeter.class).get(0).reading().orElseThrow().frequency()).hasValue(49.7);

        component.deactivate();
        active = false;
        assertThat(bundle.liveWith(org.osgi.framework.Constants.SERVICE_PID, GridFrequencyConfiguration.PID)).isEmpty();
    }

    @Test
    void offersTheWholeSiteAndItsClock() {
        activate(config());
        assertThat(bundle.live(GridMeter.class)).hasSize(1);
        assertThat(bundle.live(PvInverter.class)).hasSize(1);
        assertThat(bundle.live(Battery.class)).hasSize(1);
        assertThat(bundle.live(EvCharger.class)).extracting(EvCharger::id)
                .containsExactlyInAnyOrder("sim-charger-1", "sim-charger-2", "sim-charger-3", "sim-charger-4");
        assertThat(bundle.live(Clock.class)).singleElement()
                .satisfies(c -> assertThat(c.instant()).isAfterOrEqualTo(Instant.parse("2024-06-21T10:00:00Z")));
        assertThat(component.name()).isEqualTo("simulator");
        assertThat(component.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(events).isEmpty();
    }

    @Test
    void refusesAWrongFirstConfigurationAndRunsTheDefaults() {
        activate(config("chargerPhases", 2, "chargers", 7));

        assertThat(bundle.live(EvCharger.class)).hasSize(4);
        assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(component.health().details()).first().asString()
                .contains("chargerPhases=2", "allowed 1 or 3", "the defaults");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getTopic()).isEqualTo(FuseboxEvents.CONFIG_REJECTED);
            assertThat(e.getProperty(FuseboxEvents.PID)).isEqualTo("fusebox.simulator");
            assertThat((String) e.getProperty(FuseboxEvents.REASON)).contains("chargerPhases=2");
        });
    }

    @Test
    void keepsThePreviousConfigurationWhenANewOneIsWrong() {
        activate(config("chargers", 2));
        List<FakeBundleContext.Registered> before = bundle.live();

        component.modified(config("chargers", 3, "speed", 0.0));

        assertThat(bundle.live()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(component.health().details()).first().asString()
                .contains("speed=0", "allowed 1..3600", "previous configuration");
        assertThat(events).extracting(Event::getTopic).containsExactly(FuseboxEvents.CONFIG_REJECTED);

        component.modified(config("chargers", 2));
        assertThat(component.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aPaceChangeKeepsTheSiteAndItsServices() {
        activate(config());
        List<FakeBundleContext.Registered> before = bundle.live();
        Simulation running = component.simulation();

        component.modified(config("speed", 120.0));

        assertThat(component.simulation()).isSameAs(running);
        assertThat(bundle.live()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(bundle.everRegistered()).hasSameSizeAs(before);
    }

    @Test
    void aSiteChangeRebuildsTheServicesAndCarriesOnInTime() {
        activate(config("speed", 3600.0));
        Simulation first = component.simulation();
        first.tick();
        Instant reached = first.now();

        component.modified(config("speed", 3600.0, "chargers", 1, "pvPeakKw", 0.0));

        assertThat(bundle.live(EvCharger.class)).extracting(EvCharger::id).containsExactly("sim-charger-1");
        assertThat(bundle.live(PvInverter.class)).isEmpty();
        assertThat(bundle.live(GridMeter.class)).singleElement().isNotSameAs(first.meter());
        assertThat(component.simulation().now()).isAfterOrEqualTo(reached);
    }

    @Test
    void aNewStartTimeMovesTheSimulatedClock() {
        activate(config());
        component.modified(config("startTime", "2025-01-15T08:00:00Z"));
        assertThat(bundle.live(Clock.class)).singleElement()
                .satisfies(c -> assertThat(c.instant()).isBetween(Instant.parse("2025-01-15T08:00:00Z"),
                        Instant.parse("2025-01-15T08:01:00Z")));
    }

    @Test
    void reportsAnOverloadedFuseInItsHealth() {
        activate(config("fuseLimitAmps", 1.0));
        component.simulation().tick();
        assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(component.health().details()).first().asString().contains("physical fuse overloaded on L");
        assertThat(component.health().details()).last().asString().matches("fuse record: highest phase current [0-9.]+ A of 1 A, [0-9]+ s overloaded in total");
    }

    @Test
    void stepsOnItsOwnThread() throws InterruptedException {
        activate(config("tickMillis", 50L, "speed", 100.0));
        GridMeter meter = bundle.live(GridMeter.class).get(0);
        Instant first = meter.reading().map(MeterReading::timestamp).orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (meter.reading().orElseThrow().timestamp().equals(first) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(meter.reading().orElseThrow().timestamp()).isAfter(first);
        assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
            assertThat(t.getName()).isEqualTo("fusebox-simulator");
            assertThat(t.isDaemon()).isTrue();
        });
    }

    @Test
    void withdrawsEverythingWhenDeactivated() {
        activate(config());
        assertThat(bundle.live()).isNotEmpty();
        component.deactivate();
        active = false;
        assertThat(bundle.live()).isEmpty();
        assertThat(component.health().status()).isEqualTo(HealthStatus.DOWN);
    }
}

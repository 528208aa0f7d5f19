package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The core's defence of its safety limits: a missing fuse is not configured, an invalid file falls back to
 * the last valid configuration (also after a restart), and every change is logged and announced.
 */
class ConfigurationSafetyTest {

    private static final String FILE = "file:/opt/fusebox/etc/fusebox.core.cfg";

    @TempDir
    Path data;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final TestDevices.Meter meter = new TestDevices.Meter("grid", 10);
    private final TestDevices.Charger charger = new TestDevices.Charger("a");
    private ControlLoopService loop;

    @BeforeEach
    void newLoop() {
        loop = loop();
    }

    @AfterEach
    void stop() {
        loop.deactivate();
    }

    private ControlLoopService loop() {
        ControlLoopService l = new ControlLoopService();
        l.setEventAdmin(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        });
        l.addGridMeter(meter);
        l.addEvCharger(charger);
        return l;
    }

    private LastValidStore store() {
        return new LastValidStore(data.resolve(ControlLoopService.LAST_VALID_FILE));
    }

    /** A configuration as fileinstall hands it over: strings, with the file it came from. */
    private static Map<String, Object> fromFile(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "fusebox.core");
        m.put("felix.fileinstall.filename", FILE);
        m.put("cyclePeriodMillis", "60000");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Deactivate, then a new core instance on the same data area: a restart of the bundle. */
    private void restart(Map<String, Object> onDisk) {
        loop.deactivate();
        loop = loop();
        loop.start(onDisk, store());
    }

    private double enforcedFuse() {
        loop.runCycleNow("test");
        return loop.lastCycle().orElseThrow().snapshot().limits().fuseLimit().amps();
    }

    private List<Map<String, Object>> limitChanges() {
        return events.stream().filter(e -> e.getTopic().equals(FuseboxEvents.SAFETY_LIMIT_CHANGED)).map(e -> {
            Map<String, Object> m = new HashMap<>();
            for (String k : e.getPropertyNames()) {
                m.put(k, e.getProperty(k));
            }
            m.remove("event.topics");
            return m;
        }).toList();
    }

    @Test
    void withoutAFuseLimitTheSiteIsNotConfiguredAndHeldInFailsafe() {
        loop.start(fromFile("safetyMarginAmps", "2"), store());

        loop.runCycleNow("test");

        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(charger.lastWrite()).isEqualTo(0.0);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("fuseLimitAmps is not configured"));
        assertThat(loop.state().reasons()).anySatisfy(d -> assertThat(d)
                .contains("not configured: every EV is paused and batteries idle until fuseLimitAmps is set"));
        assertThat(events).anySatisfy(e -> assertThat(e.getTopic()).isEqualTo(FuseboxEvents.CONFIG_REJECTED));
    }

    @Test
    void aTypoInTheFuseKeyIsNotConfiguredAndNamedNotAFortyAmpDefault() {
        loop.start(fromFile("fuseLimitAmp", "25"), store());

        loop.runCycleNow("test");

        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(charger.lastWrite()).isEqualTo(0.0);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("unknown key fuseLimitAmp (did you mean fuseLimitAmps?)"));
    }

    @Test
    void aDeletedConfigurationWhileRunningIsNotConfiguredAndAnnounced() {
        loop.start(fromFile("fuseLimitAmps", "63"), store());
        assertThat(enforcedFuse()).isEqualTo(63.0);
        events.clear();

        loop.modified(Map.of("component.name", "org.fusebox.core.ControlLoopService"));
        loop.runCycleNow("test");

        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(charger.lastWrite()).isEqualTo(0.0);
        assertThat(limitChanges()).contains(Map.of(FuseboxEvents.KEY, "fuseLimitAmps", FuseboxEvents.OLD, "63",
                FuseboxEvents.NEW, "not configured", FuseboxEvents.SOURCE, "configuration admin (no configuration)"));
    }

    @Test
    void anInvalidFileAfterARestartRunsOnTheLastValidConfigurationAndSaysSo() throws IOException {
        loop.start(fromFile("fuseLimitAmps", "63"), store());
        assertThat(enforcedFuse()).isEqualTo(63.0);
        assertThat(Files.readString(data.resolve(ControlLoopService.LAST_VALID_FILE))).contains("fuseLimitAmps=63");
        assertThat(Files.list(data).map(p -> p.getFileName().toString())).containsExactly(ControlLoopService.LAST_VALID_FILE);

        restart(fromFile("fuseLimitAmps", "1e9"));

        assertThat(enforcedFuse()).isEqualTo(63.0);
        assertThat(loop.state().mode()).isEqualTo(ControlMode.RUNNING);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(loop.health().details())
                .contains("fusebox.core on disk refused: fuseLimitAmps must be within 1..4000 A, got 1.0E9")
                .anySatisfy(d -> assertThat(d).startsWith("running on the last valid configuration of 20").contains("(file " + FILE + ")"));
        // 63 A fuse, 2 A margin, 10 A uncontrolled: 51 A free, the EV at its 32 A rating
        assertThat(charger.lastWrite()).isEqualTo(32.0);
    }

    @Test
    void aDeletedFileAfterARestartIsNotReplacedByTheLastValidOne() {
        loop.start(fromFile("fuseLimitAmps", "63"), store());
        assertThat(enforcedFuse()).isEqualTo(63.0);
        events.clear();

        restart(Map.of("component.name", "org.fusebox.core.ControlLoopService"));
        loop.runCycleNow("test");

        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(charger.lastWrite()).isEqualTo(0.0);
        assertThat(limitChanges()).anySatisfy(e -> assertThat(e).containsEntry(FuseboxEvents.KEY, "fuseLimitAmps")
                .containsEntry(FuseboxEvents.OLD, "63").containsEntry(FuseboxEvents.NEW, "not configured"));
        // the last valid one is still kept: a later invalid file falls back to it
        loop.modified(fromFile("fuseLimitAmps", "garbage"));
        assertThat(enforcedFuse()).isEqualTo(63.0);
        assertThat(loop.state().mode()).isEqualTo(ControlMode.RUNNING);
    }

    @Test
    void anInvalidFileWithNoValidOneEverHoldsFailsafe() {
        loop.start(fromFile("fuseLimitAmps", "-5"), store());

        loop.runCycleNow("test");

        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(loop.health().details()).contains("fusebox.core on disk refused: fuseLimitAmps must be a positive number of amps, got -5.0",
                "no valid configuration: every EV is paused and batteries idle");
        assertThat(Files.exists(data.resolve(ControlLoopService.LAST_VALID_FILE))).isFalse();
    }

    @Test
    void aKeptConfigurationThatCannotBeReadIsIgnoredAndReported() throws IOException {
        Files.writeString(data.resolve(ControlLoopService.LAST_VALID_FILE), "fuseLimitAmps=63\n");

        loop.start(fromFile("fuseLimitAmps", "1e9"), store());
        loop.runCycleNow("test");

        assertThat(loop.state().mode()).isEqualTo(ControlMode.FAILSAFE);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("is unusable"));
    }

    @Test
    void everyChangeOfASafetyLimitIsLoggedAndPostedWithOldNewAndSource() {
        String log = capturingStderr(() -> {
            loop.start(fromFile("fuseLimitAmps", "63", "batteryMinSocPercent", "20"), store());
            loop.modified(Map.of("fuseLimitAmps", 50.0, "batteryMinSocPercent", 30.0, "cyclePeriodMillis", 60_000L));
        });

        assertThat(limitChanges()).contains(
                Map.of(FuseboxEvents.KEY, "fuseLimitAmps", FuseboxEvents.OLD, "not configured", FuseboxEvents.NEW, "63",
                        FuseboxEvents.SOURCE, "file " + FILE),
                Map.of(FuseboxEvents.KEY, "fuseLimitAmps", FuseboxEvents.OLD, "63", FuseboxEvents.NEW, "50",
                        FuseboxEvents.SOURCE, "configuration admin"),
                Map.of(FuseboxEvents.KEY, "batteryMinSocPercent", FuseboxEvents.OLD, "20", FuseboxEvents.NEW, "30",
                        FuseboxEvents.SOURCE, "configuration admin"));
        // the cycle period is not a safety limit; unchanged limits are not announced
        assertThat(limitChanges()).noneSatisfy(e -> assertThat(e.get(FuseboxEvents.KEY)).isIn("cyclePeriodMillis"));
        assertThat(limitChanges().stream().filter(e -> e.get(FuseboxEvents.KEY).equals("safetyMarginAmps"))).hasSize(1);
        assertThat(log).contains("INFO org.fusebox.core.ConfigurationInForce - Safety limit fuseLimitAmps set to 63 (was not configured), source: file "
                + FILE);
        assertThat(log).contains("WARN org.fusebox.core.ConfigurationInForce - Safety limit fuseLimitAmps changed from 63 to 50, source: configuration admin");
        assertThat(log).contains("Safety limit batteryMinSocPercent changed from 20 to 30");
    }

    @Test
    void aRefusedChangeIsNotAnnouncedAsAChangeAndARestartOnTheSameFileAnnouncesNothing() {
        loop.start(fromFile("fuseLimitAmps", "63"), store());
        loop.modified(fromFile("fuseLimitAmps", "NaN"));
        assertThat(enforcedFuse()).isEqualTo(63.0);
        assertThat(limitChanges()).noneSatisfy(e -> assertThat(e.get(FuseboxEvents.OLD)).isEqualTo("63"));
        events.clear();

        restart(fromFile("fuseLimitAmps", "63"));

        assertThat(enforcedFuse()).isEqualTo(63.0);
        assertThat(limitChanges()).isEmpty();
        assertThat(loop.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void theComponentKeepsItsLastValidConfigurationInTheBundlesDataArea() {
        org.osgi.framework.BundleContext context = (org.osgi.framework.BundleContext) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { org.osgi.framework.BundleContext.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getDataFile")) {
                        return data.resolve((String) args[0]).toFile();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        loop.activate(context, fromFile("fuseLimitAmps", "50"));
        assertThat(enforcedFuse()).isEqualTo(50.0);
        loop.deactivate();
        loop = loop();

        loop.activate(context, fromFile("fuseLimitAmps", "fifty"));

        assertThat(enforcedFuse()).isEqualTo(50.0);
        assertThat(loop.health().details()).contains("fusebox.core on disk refused: fuseLimitAmps must be a number, got 'fifty'");
    }

    /** slf4j-simple writes to System.err as it is at the time of each line. */
    static String capturingStderr(Runnable r) {
        PrintStream original = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

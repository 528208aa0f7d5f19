package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.Protocol;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The OCPP central system in the running demo site: a charge point connects over a real WebSocket, the
 * core steers it with charging profiles like the site's other chargers, and when the driver bundle is
 * updated live the charge point reconnects, the core's limit reaches it again, and nothing else in the
 * site is restarted. (Installing the feature alone is FeatureInstallIT's job; the independent OCPP
 * client library is exercised in the bundle's own tests.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OcppDriverIT extends FuseboxKarafTestSupport {

    private static final String PORT_PROPERTY = "fusebox.itest.ocpp.port";
    private static final String CP = "it-cp-1";

    @Configuration
    public Option[] options() {
        int port = freePort();
        String cfg = "etc/fusebox.driver.ocpp.cfg";
        // booted with the demo so the probe (which uses Java-WebSocket) finds the bundle at once
        // the demo boots the OCPP driver (its chargers are OCPP charge points); this test adds one of its own
        return withOptions(demoSite(),
                editConfigurationFilePut(cfg, "port", Integer.toString(port)),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "ocppCentralSystemUrl", "ws://127.0.0.1:" + port + "/ocpp"),
                editConfigurationFilePut(cfg, "bindHost", "127.0.0.1"),
                editConfigurationFilePut(cfg, "chargePoints",
                        "sim-charger-1,sim-charger-2,sim-charger-3,sim-charger-4," + CP + ":maxCurrent=16"),
                editConfigurationFilePut(cfg, "acceptAnyIdTag", "true"),
                editConfigurationFilePut(cfg, "callTimeoutMillis", "5000"),
                editConfigurationFilePut("etc/system.properties", PORT_PROPERTY, Integer.toString(port)));
    }

    @Test
    public void aChargePointIsSteeredAndGetsItsLimitAgainAfterTheDriverIsUpdatedLive() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        awaitBootFinished();
        Bundle driver = assertBundleActive("fusebox-driver-ocpp");
        URI uri = URI.create("ws://127.0.0.1:" + bundleContext.getProperty(PORT_PROPERTY) + "/ocpp/" + CP);
        ChargePoint cp = new ChargePoint(uri);
        cp.connectAndBoot();
        cp.startCharging();
        try {
            waitFor("the core steering " + CP + " with an accepted profile", () -> cp.profiles.size() > 0
                    && accepted(loop.lastCycle().orElseThrow(), CP + "/1"));
            double firstLimit = cp.profiles.get(cp.profiles.size() - 1);
            // paused (the fuse is shared with the demo's EVs, latest arrival paused first) or within 6..16 A
            assertTrue("limit " + firstLimit + " A is neither a pause nor within the charger's range",
                    firstLimit == 0 || (firstLimit >= 6 && firstLimit <= 16));

            List<Long> others = new ArrayList<>();
            for (Bundle b : bundleContext.getBundles()) {
                String bsn = b.getSymbolicName();
                if (bsn != null && bsn.startsWith("fusebox-") && b.getBundleId() != driver.getBundleId()) {
                    others.add(b.getBundleId());
                }
            }
            int profilesBefore = cp.profiles.size();
            int connectionsBefore = cp.connections.get();
            try (BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext)) {
                driver.update();
                try {
                    waitFor("the charge point dropped by the old driver", () -> !cp.isOpen() || cp.connections.get() > connectionsBefore);
                } catch (AssertionError e) {
                    // seen once in CI, not reproduced: show where the old driver's stop is, to tell a hang from a lost close
                    System.err.println("driver bundle state " + driver.getState() + "; threads:");
                    Thread.getAllStackTraces().forEach((t, stack) -> {
                        String n = t.getName().toLowerCase(java.util.Locale.ROOT);
                        if (n.contains("websocket") || n.contains("ocpp") || n.contains("scr") || n.contains("felix") || n.contains("fusebox")) {
                            System.err.println("  " + t.getName() + " " + t.getState());
                            for (StackTraceElement el : stack) {
                                System.err.println("      at " + el);
                            }
                        }
                    });
                    throw e;
                }
                // a real charge point reconnects on its own and reports its connector state again
                waitFor("the charge point reconnected", () -> cp.reconnectIfClosed() && cp.connections.get() > connectionsBefore);
                cp.reportCharging();
                waitFor("the limit sent again to the reconnected charge point", () -> cp.profiles.size() > profilesBefore
                        && accepted(loop.lastCycle().orElseThrow(), CP + "/1"));
                bundles.assertUntouched(others, "updating fusebox-driver-ocpp");
            }
            assertEquals(ControlMode.RUNNING, loop.state().mode());
            assertTrue("no malformed frame may have been sent to the charge point: " + cp.errors, cp.errors.isEmpty());
        } finally {
            cp.close();
        }
    }

    private static boolean accepted(CycleReport r, String key) {
        return r.writeResults().containsKey(key) && r.writeResults().get(key).isAccepted();
    }

    /** A minimal OCPP 1.6J charge point: boots, charges on connector 1, accepts every charging profile. */
    private static final class ChargePoint {
        private static final ObjectMapper JSON = new ObjectMapper();
        final URI uri;
        final List<Double> profiles = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger ids = new AtomicInteger();
        private volatile Client client;

        ChargePoint(URI uri) {
            this.uri = uri;
        }

        void connectAndBoot() throws InterruptedException {
            client = new Client(uri);
            if (!client.connectBlocking()) {
                throw new AssertionError("could not connect to " + uri);
            }
            call("BootNotification", Map.of("chargePointVendor", "Fusebox-IT", "chargePointModel", "probe"));
        }

        void startCharging() {
            reportCharging();
            call("StartTransaction", Map.of("connectorId", 1, "idTag", "IT-TAG", "meterStart", 0,
                    "timestamp", Instant.now().toString()));
        }

        void reportCharging() {
            call("StatusNotification", Map.of("connectorId", 1, "errorCode", "NoError", "status", "Charging"));
        }

        boolean isOpen() {
            Client c = client;
            return c != null && c.isOpen();
        }

        /** Reconnects (and boots) when the socket is closed; true once connected. */
        boolean reconnectIfClosed() {
            if (isOpen()) {
                return true;
            }
            try {
                connectAndBoot();
                return isOpen();
            } catch (AssertionError | InterruptedException e) {
                return false;
            }
        }

        void close() throws InterruptedException {
            Client c = client;
            if (c != null) {
                c.closeBlocking();
            }
        }

        private void call(String action, Map<String, Object> payload) {
            try {
                client.send(JSON.writeValueAsString(List.of(2, "it-" + ids.incrementAndGet(), action, payload)));
            } catch (Exception e) {
                errors.add(action + ": " + e);
            }
        }

        private final class Client extends WebSocketClient {
            Client(URI target) {
                super(target, new Draft_6455(List.of(), List.of(new Protocol("ocpp1.6"))));
            }

            @Override
            public void onOpen(ServerHandshake handshake) {
                connections.incrementAndGet();
            }

            @Override
            public void onMessage(String message) {
                try {
                    JsonNode frame = JSON.readTree(message);
                    int type = frame.get(0).asInt();
                    if (type == 4) {
                        errors.add(message);
                    } else if (type == 2) {
                        String id = frame.get(1).asText();
                        if ("SetChargingProfile".equals(frame.get(2).asText())) {
                            JsonNode period = frame.get(3).path("csChargingProfiles").path("chargingSchedule")
                                    .path("chargingSchedulePeriod").get(0);
                            profiles.add(period.path("limit").asDouble());
                        }
                        send(JSON.writeValueAsString(List.of(3, id, Map.of("status", "Accepted"))));
                    }
                } catch (Exception e) {
                    errors.add("unreadable frame " + message + ": " + e);
                }
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
                // the test notices the closed socket and reconnects, as a charge point would
            }

            @Override
            public void onError(Exception ex) {
                // connection errors surface as a closed socket
            }
        }
    }
}

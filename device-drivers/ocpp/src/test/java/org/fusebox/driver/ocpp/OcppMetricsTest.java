package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.metrics.Measurement;
import org.fusebox.driver.ocpp.api.CallFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The central system's measurements, from real connections and frames on loopback. */
class OcppMetricsTest {

    private final Devices devices = new Devices();
    private CentralSystemEngine engine;
    private RawClient raw;

    private void start(Map<String, Object> config) throws Exception {
        engine = new CentralSystemEngine(Configs.settings(config), devices, () -> null, v -> null, Clock.systemUTC());
        engine.start();
    }

    @AfterEach
    void stop() {
        if (raw != null) {
            raw.close();
        }
        if (engine != null) {
            engine.stop(0);
        }
    }

    private double measured(String name, Map<String, String> labels) {
        return engine.measurements().stream().filter(m -> m.name().equals(name) && m.labels().equals(labels))
                .mapToDouble(Measurement::value).findFirst().orElse(Double.NaN);
    }

    private double measured(String name) {
        return measured(name, Map.of());
    }

    /**
     * Boots the raw charger and answers the ClearChargingProfile (of stale default profiles) that the central
     * system sends after a charger's first boot, so that it neither times out nor stands in a test's way.
     */
    private void boot() throws InterruptedException {
        raw.send("[2,\"b1\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
        boolean booted = false;
        boolean cleared = false;
        while (!booted || !cleared) {
            String frame = raw.nextMessage();
            assertThat(frame).as("a frame after the boot").isNotNull();
            if (frame.startsWith("[3,\"b1\"")) {
                booted = true;
            } else if (frame.startsWith("[2,") && frame.contains("\"ClearChargingProfile\"")) {
                String id = frame.substring(4, frame.indexOf('"', 4));
                raw.send("[3,\"" + id + "\",{\"status\":\"Accepted\"}]");
                cleared = true;
            } else {
                throw new AssertionError("unexpected frame " + frame);
            }
        }
        Wait.until("the boot is taken", () -> engine.device("CP1").map(ChargePoint::ready).orElse(false));
    }

    @Test
    void refusedAndAcceptedConnectionsAreCountedByStatus() throws Exception {
        start(Map.of("chargePoints", new String[] {"CP1", "CP2"}, "passwords", new String[] {"CP2=s3cret-pass"}));
        String base = "ws://127.0.0.1:" + engine.port();
        assertThat(measured("connections_accepted_total")).isZero();
        assertThat(measured("charge_points_connected")).isZero();

        assertThat(RawClient.open(base + "/elsewhere/CP1", "ocpp1.6", null).awaitClosed()).contains("404");
        assertThat(RawClient.open(base + "/ocpp/NOBODY", "ocpp1.6", null).awaitClosed()).contains("404");
        assertThat(RawClient.open(base + "/ocpp/CP1", "ocpp2.0.1", null).awaitClosed()).contains("400");
        Map<String, String> wrong = Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("CP2:wrong".getBytes(StandardCharsets.UTF_8)));
        assertThat(RawClient.open(base + "/ocpp/CP2", "ocpp1.6", wrong).awaitClosed()).contains("401");

        assertThat(measured("connections_refused_total", Map.of("status", "404"))).isEqualTo(2);
        assertThat(measured("connections_refused_total", Map.of("status", "400"))).isEqualTo(1);
        assertThat(measured("connections_refused_total", Map.of("status", "401"))).isEqualTo(1);
        assertThat(measured("connections_accepted_total")).isZero();

        raw = RawClient.open(base + "/ocpp/CP1", "ocpp1.6", null);
        Wait.until("the charge point is connected", () -> measured("charge_points_connected") == 1);
        assertThat(measured("connections_accepted_total")).isEqualTo(1);
        assertThat(measured("charge_points_known")).isEqualTo(1);

        raw.close();
        raw = null;
        Wait.until("the charge point is gone", () -> measured("charge_points_connected") == 0);
        // an offline charger stays registered
        assertThat(measured("charge_points_known")).isEqualTo(1);
    }

    @Test
    void framesAndTheCallErrorsSentForRefusedOnesAreCountedByCode() throws Exception {
        start(Map.of("chargePoints", new String[] {"CP1"}, "configureChargers", false));
        raw = RawClient.open("ws://127.0.0.1:" + engine.port() + "/ocpp/CP1", "ocpp1.6", null);
        assertThat(engine.measurements()).filteredOn(m -> m.name().equals("callerrors_sent_total"))
                .hasSize(org.fusebox.driver.ocpp.protocol.ErrorCode.values().length)
                .allMatch(m -> m.value() == 0);

        boot();
        raw.send("[2,\"h1\",\"Heartbeat\",{\"unexpected\":1}]");
        assertThat(raw.nextMessage()).startsWith("[4,\"h1\",\"FormationViolation\"");
        raw.send("[2,\"x1\",\"MakeCoffee\",{}]");
        assertThat(raw.nextMessage()).startsWith("[4,\"x1\",\"NotImplemented\"");
        raw.send("[2,\"s1\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\"}]");
        assertThat(raw.nextMessage()).startsWith("[4,\"s1\",\"ProtocolError\"");

        assertThat(measured("frames_received_total")).isEqualTo(5); // the boot, the answer to ClearChargingProfile, three refused
        assertThat(measured("callerrors_sent_total", Map.of("code", "FormationViolation"))).isEqualTo(1);
        assertThat(measured("callerrors_sent_total", Map.of("code", "NotImplemented"))).isEqualTo(1);
        assertThat(measured("callerrors_sent_total", Map.of("code", "ProtocolError"))).isEqualTo(1);
        assertThat(measured("callerrors_sent_total", Map.of("code", "GenericError"))).isZero();
    }

    @Test
    void aCallTheChargerNeverAnswersIsCountedAsTimedOutOnceWithItsRetries() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("chargePoints", new String[] {"CP1"});
        config.put("configureChargers", false);
        config.put("callTimeoutMillis", 200);
        config.put("callRetries", 1);
        start(config);
        raw = RawClient.open("ws://127.0.0.1:" + engine.port() + "/ocpp/CP1", "ocpp1.6", null);
        boot();
        double sentBefore = measured("calls_sent_total");
        assertThat(measured("calls_timed_out_total")).isZero();

        Throwable failure = engine.reset("CP1", false).toCompletableFuture().handle((r, e) -> e).get(20, TimeUnit.SECONDS);
        if (failure instanceof java.util.concurrent.CompletionException wrapped) {
            failure = wrapped.getCause();
        }
        assertThat(failure).isInstanceOf(CallFailedException.class);
        assertThat(((CallFailedException) failure).reason()).isEqualTo(CallFailedException.Reason.TIMEOUT);
        List<String> resets = List.of(raw.nextMessage(), raw.nextMessage());
        assertThat(resets).allMatch(f -> f.contains("\"Reset\""));

        assertThat(measured("calls_timed_out_total")).isEqualTo(1);
        assertThat(measured("calls_sent_total") - sentBefore).isEqualTo(2);
    }

    @Test
    void theComponentAnswersForItsEngine() {
        OcppCentralSystemComponent component = new OcppCentralSystemComponent();
        assertThat(component.component()).isEqualTo("ocpp");
        assertThat(component.measurements()).isEmpty();
    }
}

package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Current;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real chargers' habits over a real WebSocket on loopback, each frame written by the test: stale readings after
 * a stop, reboots during a transaction, gateway restarts, odd meter values, and the limit-sending policy.
 */
class ChargerHabitsTest {

    private final Devices devices = new Devices();
    private final List<CentralSystemEngine> engines = new ArrayList<>();
    private final List<ScriptedCharger> chargers = new ArrayList<>();
    private CentralSystemEngine engine;

    private void start(Map<String, Object> config) throws Exception {
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent("chargePoints", new String[] {"CP1"});
        c.putIfAbsent("acceptAnyIdTag", true);
        c.putIfAbsent("callTimeoutMillis", 5000);
        c.putIfAbsent("limitIncreaseIntervalSeconds", 0);
        engine = new CentralSystemEngine(Configs.settings(c), devices, () -> null, v -> null, Clock.systemUTC());
        engine.start();
        engines.add(engine);
    }

    /**
     * The charger once the engine has taken its boot: the BootNotification's answer reaches the charger just
     * before the engine marks it ready, and a limit asked for in between is (rightly) refused as "not booted".
     */
    private EvCharger booted(String id) {
        EvCharger ch = devices.awaitCharger(id);
        Wait.until(id + " booted", ((ChargePoint) ch)::ready);
        return ch;
    }

    private ScriptedCharger connect(String id) throws Exception {
        ScriptedCharger c = ScriptedCharger.open("ws://127.0.0.1:" + engine.port() + "/ocpp", id);
        chargers.add(c);
        return c;
    }

    @AfterEach
    void stop() {
        chargers.forEach(ScriptedCharger::close);
        engines.forEach(e -> e.stop(0));
    }

    private static ConnectorReading connector(EvCharger ch) {
        return ch.reading().orElseThrow().connector(1).orElseThrow();
    }

    private static String meterValues(Integer tx, String sampled) {
        return "{\"connectorId\":1," + (tx == null ? "" : "\"transactionId\":" + tx + ",")
                + "\"meterValue\":[{\"timestamp\":\"" + Instant.now() + "\",\"sampledValue\":[" + sampled + "]}]}";
    }

    private static final String CHARGING_16A = "{\"value\":\"16\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"unit\":\"A\"},"
            + "{\"value\":\"16\",\"measurand\":\"Current.Import\",\"phase\":\"L2\",\"unit\":\"A\"},"
            + "{\"value\":\"16\",\"measurand\":\"Current.Import\",\"phase\":\"L3\",\"unit\":\"A\"},"
            + "{\"value\":\"11\",\"measurand\":\"Power.Active.Import\",\"unit\":\"kW\"},"
            + "{\"value\":\"5000\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}";

    private int startCharging(ScriptedCharger cp) throws Exception {
        cp.status(1, "Preparing");
        int tx = cp.call("StartTransaction", "{\"connectorId\":1,\"idTag\":\"T1\",\"meterStart\":4000,\"timestamp\":\""
                + Instant.now() + "\"}").get("transactionId").intValue();
        cp.status(1, "Charging");
        cp.call("MeterValues", meterValues(tx, CHARGING_16A));
        return tx;
    }

    private static double limitOf(JsonNode setChargingProfile) {
        return setChargingProfile.get(3).get("csChargingProfiles").get("chargingSchedule").get("chargingSchedulePeriod")
                .get(0).get("limit").doubleValue();
    }

    @Test
    void afterStopTransactionTheConnectorDrawsNothingWhileTheEvStaysPluggedIn() throws Exception {
        start(Map.of());
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        int tx = startCharging(cp);
        Wait.until("16 A drawn", () -> connector(ch).currents().l1().amps() == 16);

        Instant beforeStop = Instant.now();
        cp.call("StopTransaction", "{\"transactionId\":" + tx + ",\"meterStop\":6200,\"timestamp\":\"" + Instant.now()
                + "\",\"reason\":\"EVDisconnected\",\"transactionData\":[{\"timestamp\":\"" + Instant.now() + "\",\"sampledValue\":["
                + "{\"value\":\"0\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"unit\":\"A\",\"context\":\"Transaction.End\"},"
                + "{\"value\":\"6.2\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"kWh\",\"context\":\"Transaction.End\"}]}]}");
        // real EVs stay plugged in: Finishing for hours, and no more meter values
        cp.status(1, "Finishing");
        // the central system acts on a message just after answering it
        Wait.until("finishing", () -> connector(ch).state() == org.fusebox.api.device.ConnectorState.FINISHING);

        ChargerReading r = ch.reading().orElseThrow();
        ConnectorReading c = r.connector(1).orElseThrow();
        assertThat(c.session()).isNull();
        assertThat(c.currents().l1().amps()).isZero();
        assertThat(c.currents().l2().amps()).isZero();
        assertThat(c.currents().l3().amps()).isZero();
        assertThat(c.power().watts()).isZero();
        assertThat(c.meterTotal().wattHours()).as("meterStop").isEqualTo(6200.0);
        assertThat(c.measuredAt()).as("the zero is known from the stop on").isAfterOrEqualTo(beforeStop.minusMillis(5));
        assertThat(r.ageOf(c)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aConnectorThatSaysChargingButSendsNoMoreMeterValuesShowsAnAgingMeasurement() throws Exception {
        start(Map.of());
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        startCharging(cp);
        Wait.until("16 A drawn", () -> connector(ch).currents().l1().amps() == 16);
        Instant measured = connector(ch).measuredAt();

        Thread.sleep(1200);
        ChargerReading later = ch.reading().orElseThrow();
        assertThat(later.connector(1).orElseThrow().measuredAt()).isEqualTo(measured);
        assertThat(later.ageOf(later.connector(1).orElseThrow())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));

        // the car pauses and says so, without meter values: nothing is drawn from then on
        cp.status(1, "SuspendedEV");
        Wait.until("suspended", () -> connector(ch).state() == org.fusebox.api.device.ConnectorState.SUSPENDED_EV);
        ConnectorReading paused = connector(ch);
        assertThat(paused.currents().l1().amps()).isZero();
        assertThat(paused.session()).isNotNull();
        assertThat(paused.measuredAt()).isAfter(measured);
    }

    @Test
    void aBootDuringATransactionKeepsItsTxProfileAndItsMeterStop() throws Exception {
        start(Map.of());
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        int tx = startCharging(cp);

        Wait.until("charging", () -> connector(ch).session() != null);
        // the controller reboots; the power electronics keep charging
        cp.boot();
        Thread.sleep(200);
        assertThat(connector(ch).session()).isNotNull();
        assertThat(connector(ch).session().sessionId()).isEqualTo(String.valueOf(tx));
        WriteResult r = ch.setCurrentLimit(1, Current.ofAmps(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(r.isAccepted()).isTrue();
        JsonNode sent = cp.next("SetChargingProfile");
        assertThat(sent.get(3).get("csChargingProfiles").get("chargingProfilePurpose").asText()).isEqualTo("TxProfile");
        assertThat(sent.get(3).get("csChargingProfiles").get("transactionId").intValue()).isEqualTo(tx);

        cp.call("StopTransaction", "{\"transactionId\":" + tx + ",\"meterStop\":9000,\"timestamp\":\"" + Instant.now() + "\"}");
        Wait.until("stopped", () -> connector(ch).session() == null);
        assertThat(connector(ch).meterTotal().wattHours()).isEqualTo(9000.0);
        assertThat(connector(ch).session()).isNull();
    }

    @Test
    void afterAGatewayRestartATransactionIsTakenOverFromItsMeterValuesAndItsStopIsApplied() throws Exception {
        start(Map.of());
        ScriptedCharger cp = connect("CP1");
        // a charger that was registered before the restart does not boot again: it reconnects and carries on
        cp.status(1, "Charging");
        JsonNode trigger = cp.next("TriggerMessage");
        assertThat(trigger.get(3).get("requestedMessage").asText()).isEqualTo("MeterValues");
        cp.call("MeterValues", meterValues(4711, CHARGING_16A));
        EvCharger ch = devices.awaitCharger("CP1");
        Wait.until("transaction taken over", () -> connector(ch).session() != null);
        assertThat(connector(ch).session().sessionId()).isEqualTo("4711");

        ch.setCurrentLimit(1, Current.ofAmps(12)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        JsonNode sent = cp.next("SetChargingProfile");
        assertThat(sent.get(3).get("csChargingProfiles").get("chargingProfilePurpose").asText()).isEqualTo("TxProfile");
        assertThat(sent.get(3).get("csChargingProfiles").get("transactionId").intValue()).isEqualTo(4711);

        cp.call("StopTransaction", "{\"transactionId\":4711,\"meterStop\":7000,\"timestamp\":\"" + Instant.now() + "\"}");
        Wait.until("stopped", () -> connector(ch).session() == null);
        assertThat(connector(ch).meterTotal().wattHours()).isEqualTo(7000.0);
        assertThat(connector(ch).currents().l1().amps()).isZero();
    }

    @Test
    void oneBadSampledValueIsReportedAndTheRestOfTheMessageIsUsed() throws Exception {
        start(Map.of());
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        JsonNode answer = cp.call("MeterValues", meterValues(null,
                "{\"value\":\"10000\",\"measurand\":\"Energy.Active.Import.Register\"},"
                        + "{\"value\":\"3333\",\"measurand\":\"Energy.Active.Import.Register\",\"phase\":\"L1\"},"
                        + "{\"value\":\"3\",\"measurand\":\"Current.Import\",\"unit\":\"kW\",\"phase\":\"L1\"},"
                        + "{\"value\":\"7\",\"measurand\":\"Current.Import\",\"unit\":\"A\",\"phase\":\"L2\"}"));
        assertThat(answer.has("error")).isFalse();
        Wait.until("used", () -> connector(ch).currents().l2().amps() == 7.0);
        assertThat(connector(ch).meterTotal().wattHours()).isEqualTo(10000.0);
        assertThat(connector(ch).currents().l2().amps()).isEqualTo(7.0);
        assertThat(engine.problems()).anySatisfy(p -> assertThat(p).contains("CP1/1 meter values skipped")
                .contains("unit kW does not fit Current.Import"));
    }

    @Test
    void nothingButTheBootAnswerGoesOutBeforeTheBootThenStaleProfilesAreClearedAndTheChargerConfigured() throws Exception {
        start(Map.of("meterValueSampleIntervalSeconds", 10));
        ScriptedCharger cp = connect("CP1");
        Map<String, String[]> keys = Map.of(
                "MeterValuesSampledData", new String[] {"Energy.Active.Import.Register", "false"},
                "MeterValuesSampledDataMaxLength", new String[] {"3", "true"},
                "MeterValueSampleInterval", new String[] {"60", "true"});
        cp.answers = call -> {
            if (!call.get(2).asText().equals("GetConfiguration")) {
                return ScriptedCharger.accept(call);
            }
            ObjectNode a = ScriptedCharger.JSON.createObjectNode();
            keys.forEach((k, v) -> a.withArray("configurationKey").addObject().put("key", k).put("value", v[0])
                    .put("readonly", Boolean.parseBoolean(v[1])));
            return a;
        };
        EvCharger ch = devices.awaitCharger("CP1");
        WriteResult early = ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(early.outcome()).isEqualTo(WriteResult.Outcome.FAILED);
        assertThat(early.detail()).contains("BootNotification");
        Thread.sleep(300);
        assertThat(cp.allCalls).as("calls before the boot").isEmpty();

        cp.boot();
        Wait.until("configured", () -> cp.count("TriggerMessage") >= 2);
        List<String> order = cp.allCalls.stream().map(c -> c.get(2).asText()).toList();
        assertThat(order.get(0)).isEqualTo("ClearChargingProfile");
        assertThat(order.get(1)).isEqualTo("SetChargingProfile");
        assertThat(order).containsSubsequence("GetConfiguration", "ChangeConfiguration", "TriggerMessage");
        JsonNode clear = cp.allCalls.get(0).get(3);
        assertThat(clear.get("chargingProfilePurpose").asText()).isEqualTo("TxDefaultProfile");
        assertThat(clear.get("stackLevel").intValue()).isEqualTo(1);
        JsonNode change = cp.allCalls.stream().filter(c -> c.get(2).asText().equals("ChangeConfiguration")).findFirst()
                .orElseThrow().get(3);
        assertThat(change.get("key").asText()).isEqualTo("MeterValuesSampledData");
        assertThat(change.get("value").asText()).isEqualTo("Current.Import,Power.Active.Import,Energy.Active.Import.Register");
        assertThat(cp.count("ChangeConfiguration")).as("the read-only interval is left alone").isEqualTo(1);
        Wait.until("reported", () -> engine.problems().stream().anyMatch(p -> p.contains("MeterValueSampleInterval is read-only")));
        assertThat(engine.problems()).anySatisfy(p -> assertThat(p).contains("CP1 configuration").contains("[SoC] not asked for"));
    }

    @Test
    void profilesAreTimeLimitedSoAChargerFallsBackWhenTheGatewayDies() throws Exception {
        start(Map.of("profileValiditySeconds", 600));
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        Instant before = Instant.now();
        ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        JsonNode profile = cp.next("SetChargingProfile").get(3).get("csChargingProfiles");
        Instant validTo = Instant.parse(profile.get("validTo").asText());
        assertThat(validTo).isBetween(before.plusSeconds(598), Instant.now().plusSeconds(601));
        Instant start = Instant.parse(profile.get("chargingSchedule").get("startSchedule").asText());
        long duration = profile.get("chargingSchedule").get("duration").longValue();
        assertThat(start.plusSeconds(duration)).isBetween(before.plusSeconds(598), Instant.now().plusSeconds(601));
    }

    @Test
    void limitsAreQuantisedDownDecreasesGoOutAtOnceAndIncreasesAreHeldBack() throws Exception {
        start(Map.of("limitStepAmps", 1.0, "limitIncreaseIntervalSeconds", 3600));
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        ch.setCurrentLimit(1, Current.ofAmps(16.9)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(limitOf(cp.next("SetChargingProfile"))).as("never rounded up").isEqualTo(16.0);

        // within one step: nothing new
        assertThat(ch.setCurrentLimit(1, Current.ofAmps(16.4)).toCompletableFuture().get(20, TimeUnit.SECONDS).isAccepted()).isTrue();
        // a reduction goes out at once, however small
        ch.setCurrentLimit(1, Current.ofAmps(15.8)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(limitOf(cp.next("SetChargingProfile"))).isEqualTo(15.0);
        // the first increase goes out; the next is held back for the interval (the lower limit is safe)
        ch.setCurrentLimit(1, Current.ofAmps(20)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(limitOf(cp.next("SetChargingProfile"))).isEqualTo(20.0);
        WriteResult held = ch.setCurrentLimit(1, Current.ofAmps(25)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(held.detail()).contains("held");
        assertThat(connector(ch).currentLimit()).isEqualTo(Current.ofAmps(20));
        // and a decrease still goes out at once
        ch.setCurrentLimit(1, Current.ofAmps(8)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(limitOf(cp.next("SetChargingProfile"))).isEqualTo(8.0);
        assertThat(cp.count("SetChargingProfile")).isEqualTo(4);
    }

    @Test
    void aSlowAnswerDoesNotQueueStaleLimitsOnlyTheNewestGoesOutAfterIt() throws Exception {
        start(Map.of("profileCallTimeoutMillis", 700, "limitStepAmps", 0.5));
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        // the charger sits on its first SetChargingProfile
        cp.answers = call -> call.get(2).asText().equals("SetChargingProfile") && cp.count("SetChargingProfile") == 1
                ? null : ScriptedCharger.accept(call);
        var first = ch.setCurrentLimit(1, Current.ofAmps(20)).toCompletableFuture();
        cp.next("SetChargingProfile");
        var second = ch.setCurrentLimit(1, Current.ofAmps(18)).toCompletableFuture();
        var third = ch.setCurrentLimit(1, Current.ofAmps(14)).toCompletableFuture();
        var newest = ch.setCurrentLimit(1, Current.ofAmps(10)).toCompletableFuture();

        assertThat(first.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(WriteResult.Outcome.FAILED);
        assertThat(limitOf(cp.next("SetChargingProfile"))).as("the newest, not 18 or 14").isEqualTo(10.0);
        assertThat(newest.get(20, TimeUnit.SECONDS).isAccepted()).isTrue();
        assertThat(second.get(20, TimeUnit.SECONDS).isAccepted()).isTrue();
        assertThat(third.get(20, TimeUnit.SECONDS).isAccepted()).isTrue();
        Thread.sleep(300);
        assertThat(cp.count("SetChargingProfile")).isEqualTo(2);
        assertThat(connector(ch).currentLimit()).isEqualTo(Current.ofAmps(10));
    }

    @Test
    void aRefusedLimitStaysInHealthWithItsTimeUntilALaterOneIsAccepted() throws Exception {
        start(Map.of());
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        cp.answers = call -> call.get(2).asText().equals("SetChargingProfile")
                ? ScriptedCharger.JSON.createObjectNode().put("status", "Rejected") : ScriptedCharger.accept(call);
        ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        // the unchanged limit asked again, and other traffic, do not wipe it
        ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        cp.call("Heartbeat", "{}");
        Thread.sleep(2500);
        assertThat(engine.problems()).anySatisfy(p -> assertThat(p).contains("CP1/1 limit 16.0 A: REJECTED").contains(" at 20"));

        cp.answers = ScriptedCharger::accept;
        ch.setCurrentLimit(1, Current.ofAmps(12)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(engine.problems()).noneSatisfy(p -> assertThat(p).contains("CP1/1 limit"));
    }

    @Test
    void theLimitInForceIsRenewedAtTwoThirdsOfItsValidityAtTheCoresNextWriteAndNotBefore() throws Exception {
        start(Map.of("profileValiditySeconds", 600));
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        engine.limitNanoTime(now::get);
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        cp.next("SetChargingProfile");
        // the first limit may have gone out with the boot's answer rather than from the call above: the clock
        // moves on only once the charger's acceptance is in, so the renewal counts from the right moment
        Wait.until("16 A in force", () -> connector(ch).currentLimit().equals(Current.ofAmps(16)));
        // the core repeats its setpoint every few seconds: answered from what is in force, nothing sent
        now.addAndGet(399L * 1_000_000_000L);
        ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(cp.count("SetChargingProfile")).isEqualTo(1);
        now.addAndGet(2L * 1_000_000_000L);
        ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        JsonNode renewed = cp.next("SetChargingProfile");
        assertThat(limitOf(renewed)).isEqualTo(16.0);
        ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(cp.count("SetChargingProfile")).isEqualTo(2);
    }

    @Test
    void anIncreaseHeldBackGoesOutOnceItsIntervalHasPassed() throws Exception {
        start(Map.of("limitIncreaseIntervalSeconds", 10));
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        engine.limitNanoTime(now::get);
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        ch.setCurrentLimit(1, Current.ofAmps(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        ch.setCurrentLimit(1, Current.ofAmps(12)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(ch.setCurrentLimit(1, Current.ofAmps(14)).toCompletableFuture().get(20, TimeUnit.SECONDS).detail()).contains("held");
        now.addAndGet(10_000_000_001L);
        ch.setCurrentLimit(1, Current.ofAmps(14)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        Wait.until("14 A in force", () -> connector(ch).currentLimit().equals(Current.ofAmps(14)));
        assertThat(cp.count("SetChargingProfile")).isEqualTo(3);
    }

    @Test
    void theZeroAmpDefaultAfterAStopIsSentOnce() throws Exception {
        start(Map.of());
        ScriptedCharger cp = connect("CP1");
        cp.boot();
        EvCharger ch = booted("CP1");
        int tx = startCharging(cp);
        ch.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        cp.call("StopTransaction", "{\"transactionId\":" + tx + ",\"meterStop\":6000,\"timestamp\":\"" + Instant.now() + "\"}");
        cp.status(1, "Finishing");
        cp.status(1, "Available");
        Wait.until("available", () -> connector(ch).state() == org.fusebox.api.device.ConnectorState.AVAILABLE);
        // the core, seeing the connector free, asks for 0 A too
        ch.setCurrentLimit(1, Current.ZERO).toCompletableFuture().get(20, TimeUnit.SECONDS);
        Thread.sleep(300);
        long zeroDefaults = cp.allCalls.stream().filter(c -> c.get(2).asText().equals("SetChargingProfile"))
                .filter(c -> limitOf(c) == 0.0).count();
        assertThat(zeroDefaults).isEqualTo(1);
    }
}

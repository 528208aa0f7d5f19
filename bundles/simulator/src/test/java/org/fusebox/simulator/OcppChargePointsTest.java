package org.fusebox.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fusebox.simulator.TestCentralSystem.JSON;
import static org.fusebox.simulator.TestCentralSystem.profile;
import static org.fusebox.simulator.TestCentralSystem.until;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.EvCharger;
import org.fusebox.simulator.model.ChargePoint;
import org.fusebox.simulator.model.SiteConfig;
import org.fusebox.simulator.ocpp.OcppChargePoint;
import org.fusebox.simulator.ocpp.OcppTiming;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated chargers as OCPP 1.6J charge points of a small central system over loopback WebSockets:
 * registration, transactions and meter values that follow the simulated EV, charging profiles that steer
 * its current, the central system's other calls, reconnection and the failsafe.
 */
@Timeout(120)
class OcppChargePointsTest {

    private static final Instant NOON = Instant.parse("2024-06-21T12:00:00Z");
    private static final String CP1 = "sim-charger-1";
    private static final String CP2 = "sim-charger-2";
    private static final OcppTiming FAST = new OcppTiming(Duration.ofMillis(50), Duration.ofMillis(400),
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(10));

    private final AtomicLong realNanos = new AtomicLong(5_000_000_000L);
    private final FakeBundleContext bundle = new FakeBundleContext();
    private TestCentralSystem cs;
    private Simulation sim;

    @AfterEach
    void stop() throws Exception {
        if (sim != null) {
            sim.stop();
        }
        if (cs != null) {
            cs.shutdown();
        }
    }

    /** With {@code evs}, every charger has an EV plugged in at start; no EV arrives during a test. */
    private Simulation start(int chargers, boolean evs, String password) throws Exception {
        if (cs == null) {
            cs = TestCentralSystem.start(0);
        }
        SiteConfig site = SiteConfig.builder().start(NOON).zone(ZoneOffset.UTC).chargers(chargers).pvPeakWatts(0)
                .batteryCapacityWattHours(0).initialOccupancy(evs ? 1 : 0).evArrivalMeanInterval(Duration.ofDays(10_000)).build();
        // one step of 20 simulated seconds per tick(); the scheduled tick (an hour away) never comes
        sim = new Simulation(site, 20.0 / 3600, Duration.ofHours(1), realNanos::get, ModbusExposure.NONE,
                new OcppExposure(cs.url(), password, 30), FAST);
        sim.start(bundle.context());
        return sim;
    }

    /** Steps until {@code condition} holds: for orders that reach the model a moment after their answer. */
    private void tickUntil(String what, java.util.function.BooleanSupplier condition) {
        until(what, () -> {
            sim.tick();
            return condition.getAsBoolean();
        });
    }

    private ChargePoint charger(int number) {
        return sim.model().chargePoint(number).orElseThrow();
    }

    private OcppChargePoint ocpp(int number) {
        return sim.ocppChargePoints().get(number);
    }

    private void awaitAccepted(int number) {
        until(number + " accepted", () -> ocpp(number).status().connection() == OcppChargePoint.Connection.ACCEPTED);
    }

    /** Steps until the central system knows the transaction, and returns its id. */
    private int awaitTransaction(String id) {
        JsonNode start = cs.await(id, "StartTransaction");
        assertThat(start.get("connectorId").intValue()).isEqualTo(1);
        until("transaction id", () -> ocpp(1).transactionId() != null);
        return ocpp(1).transactionId();
    }

    private static double currentL1(JsonNode meterValues) {
        for (JsonNode sv : meterValues.get("meterValue").get(0).get("sampledValue")) {
            if ("Current.Import".equals(sv.get("measurand").asText()) && "L1".equals(sv.path("phase").asText())) {
                return Double.parseDouble(sv.get("value").asText());
            }
        }
        throw new AssertionError("no Current.Import L1 in " + meterValues);
    }

    @Test
    void chargersAreOcppChargePointsNotInProcessServices() throws Exception {
        start(2, false, "");

        assertThat(bundle.live(EvCharger.class)).isEmpty();
        awaitAccepted(1);
        awaitAccepted(2);
        assertThat(cs.paths).containsEntry(CP1, "/ocpp/" + CP1).containsEntry(CP2, "/ocpp/" + CP2);
        assertThat(cs.subprotocols).containsEntry(CP1, "ocpp1.6");
        JsonNode boot = cs.await(CP1, "BootNotification");
        assertThat(boot.get("chargePointVendor").asText()).isEqualTo("Fusebox");
        cs.await(CP1, "StatusNotification", p -> p.get("connectorId").intValue() == 0);
        cs.await(CP1, "StatusNotification", p -> p.get("connectorId").intValue() == 1
                && p.get("status").asText().equals("Available"));
        cs.await(CP2, "StatusNotification", p -> p.get("connectorId").intValue() == 1
                && p.get("status").asText().equals("Available"));
        assertThat(cs.authorizations).doesNotContainKey(CP1);

        // nothing told: the failsafe current
        sim.tick();
        assertThat(charger(1).limitAmps()).isEqualTo(6.0);
        assertThat(sim.ocppChargePoints()).hasSize(2);
    }

    @Test
    void anEvSessionIsAnAuthorisedTransactionWithMeterValuesAndProfilesSteerItsCurrent() throws Exception {
        start(1, true, "");
        String idTag = charger(1).session().orElseThrow().idTag();
        JsonNode authorize = cs.await(CP1, "Authorize");
        assertThat(authorize.get("idTag").asText()).isEqualTo(idTag);
        int tx = awaitTransaction(CP1);
        JsonNode start = cs.await(CP1, "StartTransaction");
        assertThat(start.get("idTag").asText()).isEqualTo(idTag);
        assertThat(start.get("meterStart").isIntegralNumber()).isTrue();

        sim.tick();
        sim.tick();
        assertThat(charger(1).state()).isEqualTo(ConnectorState.CHARGING);
        assertThat(charger(1).amps()).isCloseTo(6.0, within(1e-9));
        cs.await(CP1, "StatusNotification", p -> p.get("status").asText().equals("Charging"));
        JsonNode periodic = cs.await(CP1, "MeterValues", p -> p.path("transactionId").asInt() == tx
                && p.get("meterValue").get(0).get("sampledValue").get(0).get("context").asText().equals("Sample.Periodic"));
        assertThat(periodic.get("meterValue").get(0).get("sampledValue")).extracting(n -> n.get("measurand").asText())
                .contains("Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "SoC");
        assertThat(currentL1(periodic)).isEqualTo(6.0);

        // a TxProfile steers the current
        JsonNode set = cs.callOk(CP1, "SetChargingProfile", profile(1, 201, 1, "TxProfile", tx, "A", 10));
        assertThat(set.get("status").asText()).isEqualTo("Accepted");
        sim.tick();
        assertThat(charger(1).amps()).isCloseTo(10.0, within(1e-9));
        sim.tick(); // meter values come every 30 simulated seconds
        cs.await(CP1, "MeterValues", p -> p.has("transactionId") && currentL1(p) == 10.0);

        // the TxProfile outranks a default profile; cleared, the default applies
        cs.callOk(CP1, "SetChargingProfile", profile(1, 101, 5, "TxDefaultProfile", null, "A", 8));
        sim.tick();
        assertThat(charger(1).amps()).isCloseTo(10.0, within(1e-9));
        JsonNode cleared = cs.callOk(CP1, "ClearChargingProfile", JSON.createObjectNode().put("chargingProfilePurpose", "TxProfile"));
        assertThat(cleared.get("status").asText()).isEqualTo("Accepted");
        sim.tick();
        assertThat(charger(1).amps()).isCloseTo(8.0, within(1e-9));

        // watts over three phases at 230 V; the higher stack level wins
        cs.callOk(CP1, "SetChargingProfile", profile(1, 202, 1, "TxProfile", tx, "W", 3 * 230 * 12));
        sim.tick();
        assertThat(charger(1).amps()).isCloseTo(12.0, within(1e-9));
        cs.callOk(CP1, "SetChargingProfile", profile(1, 203, 2, "TxProfile", tx, "A", 7));
        sim.tick();
        assertThat(charger(1).amps()).isCloseTo(7.0, within(1e-9));
        JsonNode composite = cs.callOk(CP1, "GetCompositeSchedule",
                JSON.createObjectNode().put("connectorId", 1).put("duration", 600));
        assertThat(composite.get("status").asText()).isEqualTo("Accepted");
        assertThat(composite.get("chargingSchedule").get("chargingSchedulePeriod").get(0).get("limit").doubleValue())
                .isEqualTo(7.0);

        // a profile for another transaction is refused
        assertThat(cs.callOk(CP1, "SetChargingProfile", profile(1, 204, 3, "TxProfile", tx + 1, "A", 20))
                .get("status").asText()).isEqualTo("Rejected");

        // remote stop: StopTransaction, the EV stops drawing and leaves
        assertThat(cs.callOk(CP1, "RemoteStopTransaction", JSON.createObjectNode().put("transactionId", tx))
                .get("status").asText()).isEqualTo("Accepted");
        JsonNode stop = cs.await(CP1, "StopTransaction");
        assertThat(stop.get("transactionId").intValue()).isEqualTo(tx);
        assertThat(stop.get("reason").asText()).isEqualTo("Remote");
        sim.tick();
        assertThat(charger(1).state()).isEqualTo(ConnectorState.FINISHING);
        assertThat(charger(1).amps()).isZero();
        cs.await(CP1, "StatusNotification", p -> p.get("status").asText().equals("Finishing"));
        tickUntil("the EV gone", () -> charger(1).state() == ConnectorState.AVAILABLE);
        cs.await(CP1, "StatusNotification", p -> p.get("status").asText().equals("Available"));
        JsonNode end = cs.await(CP1, "MeterValues", p -> !p.has("transactionId"));
        assertThat(currentL1(end)).isZero();
        // the TxProfiles ended with the transaction
        assertThat(ocpp(1).profiles().installed()).extracting(p -> p.purpose().name()).containsOnly("TxDefaultProfile");
    }

    @Test
    void anEvThatLeavesEndsItsTransactionWithTheMeterReading() throws Exception {
        start(1, true, "");
        int tx = awaitTransaction(CP1);
        for (int i = 0; i < 1200 && charger(1).session().isPresent()
                && charger(1).state() != ConnectorState.FINISHING; i++) {
            sim.tick();
        }
        assertThat(charger(1).state()).isIn(ConnectorState.FINISHING, ConnectorState.AVAILABLE);
        JsonNode stop = cs.await(CP1, "StopTransaction");
        assertThat(stop.get("transactionId").intValue()).isEqualTo(tx);
        assertThat(stop.get("reason").asText()).isEqualTo("EVDisconnected");
        assertThat(stop.get("meterStop").longValue()).isEqualTo(Math.round(charger(1).meterWattHours())).isPositive();
    }

    @Test
    void aRefusedIdTagSendsTheEvAway() throws Exception {
        cs = TestCentralSystem.start(0);
        // the first EV's tag is fixed by the seed: learn it from a site built the same way, then block it
        start(1, true, "");
        String idTag = charger(1).session().orElseThrow().idTag();
        sim.stop();
        sim = null;
        cs.blockedTags.add(idTag);
        cs.calls.clear();
        start(1, true, "");
        cs.await(CP1, "Authorize");
        tickUntil("the EV sent away", () -> charger(1).state() == ConnectorState.FINISHING);
        assertThat(charger(1).amps()).isZero();
        assertThat(cs.payloads(CP1, "StartTransaction")).isEmpty();
    }

    @Test
    void reconnectsAfterTheCentralSystemRestartsAndDeliversQueuedTransactionMessages() throws Exception {
        start(1, true, "");
        int tx = awaitTransaction(CP1);
        tickUntil("charging", () -> charger(1).state() == ConnectorState.CHARGING);
        cs.callOk(CP1, "SetChargingProfile", profile(1, 201, 1, "TxProfile", tx, "A", 12));
        sim.tick();
        int port = cs.getPort();
        cs.shutdown();
        until("disconnected", () -> ocpp(1).status().connection() != OcppChargePoint.Connection.ACCEPTED);
        assertThat(sim.ocppDegraded()).isTrue();
        sim.tick();
        sim.tick(); // meter values of the running transaction, queued while offline

        cs = TestCentralSystem.start(port);
        awaitAccepted(1);
        // the sample taken offline (12 A) arrives; one unanswered when the socket dropped may come again first
        JsonNode queued = cs.await(CP1, "MeterValues", p -> p.path("transactionId").asInt() == tx && currentL1(p) == 12.0);
        assertThat(queued.get("meterValue").get(0).get("timestamp").asText()).isEqualTo("2024-06-21T12:01:20Z");
        cs.await(CP1, "StatusNotification", p -> p.get("status").asText().equals("Charging"));
        // a reconnection is not a reboot
        assertThat(cs.payloads(CP1, "BootNotification")).isEmpty();
        assertThat(ocpp(1).status().lastError()).as("%s", ocpp(1).status()).isEmpty();
        sim.tick();
        assertThat(charger(1).amps()).isCloseTo(12.0, within(1e-9));
    }

    @Test
    void fallsBackToTheFailsafeCurrentWhenTheConnectionIsLostLongerThanTheTimeoutUntilAProfileArrives() throws Exception {
        start(1, true, "");
        int tx = awaitTransaction(CP1);
        tickUntil("charging", () -> charger(1).state() == ConnectorState.CHARGING);
        assertThat(charger(1).amps()).as("no profile yet: failsafe").isCloseTo(6.0, within(1e-9));
        cs.callOk(CP1, "SetChargingProfile", profile(1, 201, 1, "TxProfile", tx, "A", 12));
        sim.tick();
        assertThat(charger(1).amps()).isCloseTo(12.0, within(1e-9));

        int port = cs.getPort();
        cs.shutdown();
        until("disconnected", () -> ocpp(1).status().connection() != OcppChargePoint.Connection.ACCEPTED);
        realNanos.addAndGet(Duration.ofSeconds(9).toNanos());
        sim.tick();
        assertThat(charger(1).amps()).as("within the failsafe timeout").isCloseTo(12.0, within(1e-9));
        realNanos.addAndGet(Duration.ofSeconds(2).toNanos());
        sim.tick();
        assertThat(charger(1).amps()).as("past the failsafe timeout").isCloseTo(6.0, within(1e-9));

        cs = TestCentralSystem.start(port);
        awaitAccepted(1);
        sim.tick();
        assertThat(charger(1).amps()).as("back, but no profile yet").isCloseTo(6.0, within(1e-9));
        cs.callOk(CP1, "SetChargingProfile", profile(1, 201, 1, "TxProfile", tx, "A", 12));
        sim.tick();
        assertThat(charger(1).amps()).isCloseTo(12.0, within(1e-9));
    }

    @Test
    void malformedCallsGetCallErrorsAndTheConnectionStays() throws Exception {
        start(1, true, "");
        awaitAccepted(1);

        JsonNode missing = cs.sendRaw(CP1, "bad-1", "[2,\"bad-1\",\"SetChargingProfile\",{\"connectorId\":1}]");
        assertThat(missing.get(0).intValue()).isEqualTo(4);
        assertThat(missing.get(2).asText()).isEqualTo("ProtocolError");
        JsonNode wrongType = cs.sendRaw(CP1, "bad-2", "[2,\"bad-2\",\"UnlockConnector\",{\"connectorId\":\"one\"}]");
        assertThat(wrongType.get(2).asText()).isEqualTo("TypeConstraintViolation");
        JsonNode badEnum = cs.sendRaw(CP1, "bad-3", "[2,\"bad-3\",\"Reset\",{\"type\":\"Gentle\"}]");
        assertThat(badEnum.get(2).asText()).isEqualTo("PropertyConstraintViolation");
        JsonNode unknown = cs.sendRaw(CP1, "bad-4", "[2,\"bad-4\",\"ReserveNow\",{}]");
        assertThat(unknown.get(2).asText()).isEqualTo("NotImplemented");
        JsonNode broken = cs.sendRaw(CP1, "bad-5", "[2,\"bad-5\",\"Reset\",{\"type\":");
        assertThat(broken.get(2).asText()).isEqualTo("FormationViolation");
        JsonNode shortCall = cs.sendRaw(CP1, "bad-6", "[2,\"bad-6\",\"Reset\"]");
        assertThat(shortCall.get(2).asText()).isEqualTo("FormationViolation");

        assertThat(ocpp(1).status().connection()).isEqualTo(OcppChargePoint.Connection.ACCEPTED);
        JsonNode config = cs.callOk(CP1, "GetConfiguration", JSON.createObjectNode());
        assertThat(config.get("configurationKey")).extracting(n -> n.get("key").asText())
                .contains("HeartbeatInterval", "MeterValueSampleInterval", "NumberOfConnectors");
    }

    @Test
    void bootPendingIsRetriedAfterTheIntervalAndHeartbeatsFollowTheInterval() throws Exception {
        cs = TestCentralSystem.start(0);
        cs.bootStatus = "Pending";
        cs.heartbeatInterval = 1;
        start(1, true, "");
        until("pending", () -> ocpp(1).status().connection() == OcppChargePoint.Connection.PENDING);
        assertThat(sim.ocppDegraded()).isTrue();
        until("a second BootNotification", () -> cs.payloads(CP1, "BootNotification").size() >= 2);
        assertThat(cs.payloads(CP1, "Authorize")).isEmpty();
        cs.bootStatus = "Accepted";
        awaitAccepted(1);
        until("two heartbeats", () -> cs.payloads(CP1, "Heartbeat").size() >= 2);
        cs.await(CP1, "Authorize");
        assertThat(sim.ocppDegraded()).isFalse();
        assertThat(sim.ocppStatus()).anyMatch(d -> d.startsWith(CP1 + " OCPP ACCEPTED"));
    }

    @Test
    void resetStopsTheTransactionRebootsAndStartsAnewForTheEvStillPluggedIn() throws Exception {
        start(1, true, "");
        int tx = awaitTransaction(CP1);
        sim.tick();
        assertThat(cs.callOk(CP1, "Reset", JSON.createObjectNode().put("type", "Hard")).get("status").asText())
                .isEqualTo("Accepted");
        JsonNode stop = cs.await(CP1, "StopTransaction");
        assertThat(stop.get("reason").asText()).isEqualTo("HardReset");
        until("a new BootNotification", () -> cs.payloads(CP1, "BootNotification").size() >= 2);
        awaitAccepted(1);
        sim.tick();
        until("a second transaction", () -> cs.payloads(CP1, "StartTransaction").size() >= 2);
        until("its id", () -> ocpp(1).transactionId() != null && ocpp(1).transactionId() != tx);
    }

    @Test
    void configurationTriggersAvailabilityAndUnlock() throws Exception {
        start(1, true, "");
        awaitAccepted(1);

        assertThat(cs.callOk(CP1, "ChangeConfiguration", JSON.createObjectNode().put("key", "HeartbeatInterval")
                .put("value", "1")).get("status").asText()).isEqualTo("Accepted");
        until("heartbeats", () -> cs.payloads(CP1, "Heartbeat").size() >= 2);
        assertThat(cs.callOk(CP1, "ChangeConfiguration", JSON.createObjectNode().put("key", "NumberOfConnectors")
                .put("value", "2")).get("status").asText()).isEqualTo("Rejected");
        assertThat(cs.callOk(CP1, "ChangeConfiguration", JSON.createObjectNode().put("key", "Colour")
                .put("value", "red")).get("status").asText()).isEqualTo("NotSupported");
        JsonNode asked = cs.callOk(CP1, "GetConfiguration", JSON.createObjectNode().set("key",
                JSON.createArrayNode().add("HeartbeatInterval").add("Colour")));
        assertThat(asked.get("configurationKey").get(0).get("value").asText()).isEqualTo("1");
        assertThat(asked.get("unknownKey").get(0).asText()).isEqualTo("Colour");

        int before = cs.payloads(CP1, "StatusNotification").size();
        assertThat(cs.callOk(CP1, "TriggerMessage", JSON.createObjectNode().put("requestedMessage", "StatusNotification")
                .put("connectorId", 1)).get("status").asText()).isEqualTo("Accepted");
        until("a triggered status", () -> cs.payloads(CP1, "StatusNotification").size() > before);
        assertThat(cs.callOk(CP1, "TriggerMessage", JSON.createObjectNode().put("requestedMessage",
                "FirmwareStatusNotification")).get("status").asText()).isEqualTo("NotImplemented");

        // with an EV plugged in, Inoperative is Scheduled: the connector turns Unavailable once it has left
        assertThat(cs.callOk(CP1, "ChangeAvailability", JSON.createObjectNode().put("connectorId", 1)
                .put("type", "Inoperative")).get("status").asText()).isEqualTo("Scheduled");
        assertThat(cs.callOk(CP1, "UnlockConnector", JSON.createObjectNode().put("connectorId", 2)).get("status")
                .asText()).isEqualTo("NotSupported");
        assertThat(cs.callOk(CP1, "UnlockConnector", JSON.createObjectNode().put("connectorId", 1)).get("status")
                .asText()).isEqualTo("Unlocked");
        tickUntil("unlocked", () -> charger(1).state() == ConnectorState.FINISHING);
        tickUntil("the EV gone", () -> charger(1).state() != ConnectorState.FINISHING);
        assertThat(charger(1).state()).isEqualTo(ConnectorState.UNAVAILABLE);
        cs.await(CP1, "StatusNotification", p -> p.get("status").asText().equals("Unavailable"));
        assertThat(cs.callOk(CP1, "ChangeAvailability", JSON.createObjectNode().put("connectorId", 0)
                .put("type", "Operative")).get("status").asText()).isEqualTo("Accepted");
        tickUntil("operative", () -> charger(1).state() == ConnectorState.AVAILABLE);
        cs.await(CP1, "StatusNotification", p -> p.get("connectorId").intValue() == 1
                && p.get("status").asText().equals("Available"));
    }

    @Test
    void remoteStartBeginsATransactionWithTheGivenTagForAWaitingEv() throws Exception {
        cs = TestCentralSystem.start(0);
        cs.holdAuthorize = true; // the EV's own card is not answered for now
        start(1, true, "");
        awaitAccepted(1);
        cs.await(CP1, "Authorize");
        assertThat(cs.callOk(CP1, "RemoteStartTransaction", JSON.createObjectNode().put("idTag", "OPERATOR2")
                .put("connectorId", 2)).get("status").asText()).isEqualTo("Rejected");
        assertThat(cs.callOk(CP1, "RemoteStartTransaction", JSON.createObjectNode().put("idTag", "OPERATOR1")
                .put("connectorId", 1)).get("status").asText()).isEqualTo("Accepted");
        cs.releaseAuthorize("Blocked"); // too late to send the EV away: it was started remotely
        JsonNode start = cs.await(CP1, "StartTransaction");
        assertThat(start.get("idTag").asText()).isEqualTo("OPERATOR1");
        tickUntil("charging", () -> charger(1).state() == ConnectorState.CHARGING);
        assertThat(cs.callOk(CP1, "RemoteStartTransaction", JSON.createObjectNode().put("idTag", "OPERATOR3"))
                .get("status").asText()).as("a transaction runs already").isEqualTo("Rejected");
    }

    @Test
    void presentsItsPasswordWithBasicAuth() throws Exception {
        start(1, true, "s3cret-pass");
        awaitAccepted(1);
        assertThat(cs.authorizations.get(CP1)).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString((CP1 + ":s3cret-pass").getBytes(StandardCharsets.UTF_8)));
    }
}

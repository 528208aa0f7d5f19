package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import eu.chargetime.ocpp.model.core.AuthorizationStatus;
import eu.chargetime.ocpp.model.core.AuthorizeConfirmation;
import eu.chargetime.ocpp.model.core.AuthorizeRequest;
import eu.chargetime.ocpp.model.core.BootNotificationConfirmation;
import eu.chargetime.ocpp.model.core.BootNotificationRequest;
import eu.chargetime.ocpp.model.core.ChargePointErrorCode;
import eu.chargetime.ocpp.model.core.ChargePointStatus;
import eu.chargetime.ocpp.model.core.ChargingProfilePurposeType;
import eu.chargetime.ocpp.model.core.ChargingRateUnitType;
import eu.chargetime.ocpp.model.core.HeartbeatConfirmation;
import eu.chargetime.ocpp.model.core.MeterValue;
import eu.chargetime.ocpp.model.core.MeterValuesRequest;
import eu.chargetime.ocpp.model.core.RegistrationStatus;
import eu.chargetime.ocpp.model.core.ResetRequest;
import eu.chargetime.ocpp.model.core.SampledValue;
import eu.chargetime.ocpp.model.core.StartTransactionConfirmation;
import eu.chargetime.ocpp.model.core.StartTransactionRequest;
import eu.chargetime.ocpp.model.core.StatusNotificationRequest;
import eu.chargetime.ocpp.model.core.StopTransactionRequest;
import eu.chargetime.ocpp.model.smartcharging.ChargingProfileStatus;
import eu.chargetime.ocpp.model.smartcharging.SetChargingProfileRequest;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Current;
import org.fusebox.driver.ocpp.api.CallResult;
import org.fusebox.driver.ocpp.api.IdTagStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The central system against the Java-OCA-OCPP client playing a charger, over real WebSockets on loopback. */
class ChargePointClientTest {

    private final Devices devices = new Devices();
    private CentralSystemEngine engine;
    private final java.util.List<OcaChargePoint> clients = new java.util.ArrayList<>();

    private void start(Map<String, Object> config) throws Exception {
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent("chargePoints", new String[] {"CP1"});
        c.putIfAbsent("idTags", new String[] {"TAG1, BLOCKED1=Blocked"});
        c.putIfAbsent("callTimeoutMillis", 5000);
        engine = new CentralSystemEngine(Configs.settings(c), devices,
                () -> (cp, tag) -> "REMOTE".equals(tag) ? IdTagStatus.Accepted : null, v -> null, Clock.systemUTC());
        engine.start();
    }

    private String url() {
        return "ws://127.0.0.1:" + engine.port() + "/ocpp";
    }

    private OcaChargePoint connect(String id) throws Exception {
        OcaChargePoint cp = new OcaChargePoint(id, null, null);
        clients.add(cp);
        cp.connect(url());
        Wait.until(id + " connected", () -> cp.opened);
        return cp;
    }

    @AfterEach
    void stop() {
        clients.forEach(OcaChargePoint::close);
        if (engine != null) {
            engine.stop(0);
        }
    }

    private static BootNotificationConfirmation boot(OcaChargePoint cp) throws Exception {
        return cp.send(new BootNotificationRequest("Vendor", "Model"));
    }

    @Test
    void aChargingSessionIsSeenByTheCoreAndALowerLimitBecomesAnAcceptedTxProfile() throws Exception {
        start(Map.of());
        OcaChargePoint cp = connect("CP1");
        BootNotificationConfirmation b = boot(cp);
        assertThat(b.getStatus()).isEqualTo(RegistrationStatus.Accepted);
        assertThat(b.getInterval()).isEqualTo(300);

        EvCharger charger = devices.awaitCharger("CP1");
        Wait.until("CP1 booted", ((ChargePoint) charger)::ready);
        assertThat(charger.connectors()).singleElement().satisfies(c -> {
            assertThat(c.maxCurrent()).isEqualTo(Current.ofAmps(32));
            assertThat(c.phases()).hasSize(3);
        });
        Wait.until("online", () -> charger.status().isOnline());

        AuthorizeConfirmation auth = cp.send(new AuthorizeRequest("TAG1"));
        assertThat(auth.getIdTagInfo().getStatus()).isEqualTo(AuthorizationStatus.Accepted);
        AuthorizeConfirmation blocked = cp.send(new AuthorizeRequest("BLOCKED1"));
        assertThat(blocked.getIdTagInfo().getStatus()).isEqualTo(AuthorizationStatus.Blocked);
        AuthorizeConfirmation viaHook = cp.send(new AuthorizeRequest("REMOTE"));
        assertThat(viaHook.getIdTagInfo().getStatus()).isEqualTo(AuthorizationStatus.Accepted);
        AuthorizeConfirmation unknown = cp.send(new AuthorizeRequest("NOBODY"));
        assertThat(unknown.getIdTagInfo().getStatus()).isEqualTo(AuthorizationStatus.Invalid);

        cp.send(new StatusNotificationRequest(1, ChargePointErrorCode.NoError, ChargePointStatus.Preparing));
        StartTransactionConfirmation started = cp.send(new StartTransactionRequest(1, "TAG1", 1000, ZonedDateTime.now()));
        int tx = started.getTransactionId();
        cp.send(new StatusNotificationRequest(1, ChargePointErrorCode.NoError, ChargePointStatus.Charging));
        cp.send(meterValues(1, tx));

        Wait.until("session with meter values", () -> charger.reading().flatMap(r -> r.connector(1))
                .map(c -> c.session() != null && c.session().soc() != null).orElse(false));
        ConnectorReading r = charger.reading().flatMap(x -> x.connector(1)).orElseThrow();
        assertThat(r.state()).isEqualTo(ConnectorState.CHARGING);
        assertThat(r.session().sessionId()).isEqualTo(String.valueOf(tx));
        assertThat(r.session().idTag()).isEqualTo("TAG1");
        assertThat(r.session().delivered().wattHours()).isEqualTo(1500.0);
        assertThat(r.session().soc().value()).isEqualTo(55.0);
        assertThat(r.power().watts()).isEqualTo(7200.0);
        assertThat(r.currents().l1().amps()).isEqualTo(10.5);
        assertThat(r.currents().l2().amps()).isEqualTo(10.4);
        assertThat(r.currents().l3().amps()).isEqualTo(10.6);
        assertThat(r.meterTotal().wattHours()).isEqualTo(2500.0);

        // the core lowers the limit, as on a fuse overload
        WriteResult result = charger.setCurrentLimit(1, Current.ofAmps(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        SetChargingProfileRequest sent = cp.nextProfile();
        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.ACCEPTED);
        assertThat(sent.getConnectorId()).isEqualTo(1);
        assertThat(sent.getCsChargingProfiles().getChargingProfilePurpose()).isEqualTo(ChargingProfilePurposeType.TxProfile);
        assertThat(sent.getCsChargingProfiles().getTransactionId()).isEqualTo(tx);
        assertThat(sent.getCsChargingProfiles().getChargingSchedule().getChargingRateUnit()).isEqualTo(ChargingRateUnitType.A);
        assertThat(sent.getCsChargingProfiles().getChargingSchedule().getChargingSchedulePeriod()[0].getLimit()).isEqualTo(10.0);
        assertThat(charger.reading().flatMap(x -> x.connector(1)).orElseThrow().currentLimit()).isEqualTo(Current.ofAmps(10));

        // unchanged: answered at once from what the charger accepted, nothing sent
        CompletableFuture<WriteResult> again = charger.setCurrentLimit(1, Current.ofAmps(10)).toCompletableFuture();
        assertThat(again).isCompletedWithValue(WriteResult.accepted());
        HeartbeatConfirmation hb = cp.send(new eu.chargetime.ocpp.model.core.HeartbeatRequest());
        assertThat(hb.getCurrentTime()).isNotNull();
        assertThat(cp.profiles).isEmpty();

        StopTransactionRequest stop = new StopTransactionRequest(3000, ZonedDateTime.now(), tx);
        cp.send(stop);
        Wait.until("session ended", () -> charger.reading().flatMap(x -> x.connector(1)).map(c -> c.session() == null).orElse(false));
        // the TxProfile ended with the transaction: the connector's default drops to 0 A at once, so an EV
        // plugging in before the core decides again does not start on the current the last one had
        SetChargingProfileRequest fallback = cp.nextProfile();
        assertThat(fallback.getCsChargingProfiles().getChargingProfilePurpose()).isEqualTo(ChargingProfilePurposeType.TxDefaultProfile);
        assertThat(fallback.getCsChargingProfiles().getChargingSchedule().getChargingSchedulePeriod()[0].getLimit()).isEqualTo(0.0);
        Wait.until("0 A in force", () -> Current.ZERO.equals(charger.reading().flatMap(x -> x.connector(1)).orElseThrow().currentLimit()));

        // an outgoing operation through the CentralSystem interface
        CallResult reset = engine.reset("CP1", false).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(reset.status()).isEqualTo("Accepted");
        assertThat(cp.otherRequests).anySatisfy(req -> assertThat(req).isInstanceOf(ResetRequest.class));
        assertThat(engine.chargePoint("CP1")).hasValueSatisfying(v -> {
            assertThat(v.vendor()).isEqualTo("Vendor");
            assertThat(v.connectors().get(0).limitAmps()).isEqualTo(0.0);
        });
    }

    private static MeterValuesRequest meterValues(int connector, int tx) {
        SampledValue energy = sv("2.5", "Energy.Active.Import.Register", null, "kWh");
        SampledValue power = sv("7.2", "Power.Active.Import", null, "kW");
        SampledValue l1 = sv("10.5", "Current.Import", "L1", "A");
        SampledValue l2 = sv("10.4", "Current.Import", "L2", "A");
        SampledValue l3 = sv("10.6", "Current.Import", "L3", "A");
        SampledValue soc = sv("55", "SoC", null, "Percent");
        MeterValuesRequest req = new MeterValuesRequest(connector);
        req.setTransactionId(tx);
        req.setMeterValue(new MeterValue[] {new MeterValue(ZonedDateTime.now(), new SampledValue[] {energy, power, l1, l2, l3, soc})});
        return req;
    }

    private static SampledValue sv(String value, String measurand, String phase, String unit) {
        SampledValue s = new SampledValue(value);
        s.setMeasurand(measurand);
        if (phase != null) {
            s.setPhase(phase);
        }
        s.setUnit(unit);
        return s;
    }

    @Test
    void aRejectedProfileComesBackAsRejectedAndStaysVisible() throws Exception {
        start(Map.of());
        OcaChargePoint cp = connect("CP1");
        boot(cp);
        EvCharger charger = devices.awaitCharger("CP1");
        Wait.until("CP1 booted", ((ChargePoint) charger)::ready);
        cp.profileAnswer = ChargingProfileStatus.Rejected;

        WriteResult result = charger.setCurrentLimit(1, Current.ofAmps(16)).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(cp.nextProfile().getCsChargingProfiles().getChargingProfilePurpose())
                .isEqualTo(ChargingProfilePurposeType.TxDefaultProfile);
        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(result.detail()).contains("Rejected");
        assertThat(engine.problems()).anySatisfy(p -> assertThat(p).contains("CP1/1").contains("REJECTED"));
        assertThat(engine.chargePoint("CP1").orElseThrow().connectors().get(0).lastLimitResult()).contains("REJECTED");
        // the limit it applies is still its rating, not the refused value
        assertThat(charger.reading().orElseThrow().connector(1).orElseThrow().currentLimit()).isEqualTo(Current.ofAmps(32));
    }

    @Test
    void aChargerThatDropsOffGoesOfflineAndGetsItsLastProfileAgainOnReconnectAndAfterBoot() throws Exception {
        start(Map.of());
        OcaChargePoint first = connect("CP1");
        boot(first);
        EvCharger charger = devices.awaitCharger("CP1");
        Wait.until("CP1 booted", ((ChargePoint) charger)::ready);
        assertThat(charger.setCurrentLimit(1, Current.ofAmps(12)).toCompletableFuture().get(20, TimeUnit.SECONDS).isAccepted()).isTrue();
        assertThat(first.nextProfile().getCsChargingProfiles().getChargingSchedule().getChargingSchedulePeriod()[0].getLimit())
                .isEqualTo(12.0);

        first.close();
        Wait.until("offline", () -> charger.status().state() == DeviceStatus.State.OFFLINE);
        ChargerReading offline = charger.reading().orElseThrow();
        assertThat(offline.connector(1).orElseThrow().state()).isEqualTo(ConnectorState.UNAVAILABLE);
        assertThat(devices.registered).containsKey("CP1");
        WriteResult whileAway = charger.setCurrentLimit(1, Current.ofAmps(8)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(whileAway.outcome()).isEqualTo(WriteResult.Outcome.FAILED);

        OcaChargePoint second = connect("CP1");
        // nothing goes out before the charger shows it holds itself registered: here a Heartbeat, no boot
        HeartbeatConfirmation hb = second.send(new eu.chargetime.ocpp.model.core.HeartbeatRequest());
        assertThat(hb.getCurrentTime()).isNotNull();
        SetChargingProfileRequest resent = second.nextProfile();
        assertThat(resent.getCsChargingProfiles().getChargingSchedule().getChargingSchedulePeriod()[0].getLimit()).isEqualTo(8.0);
        Wait.until("online again", () -> charger.status().isOnline());
        assertThat(devices.registered.get("CP1")).isSameAs(charger);

        boot(second);
        SetChargingProfileRequest afterBoot = second.nextProfile();
        assertThat(afterBoot.getCsChargingProfiles().getChargingProfilePurpose()).isEqualTo(ChargingProfilePurposeType.TxDefaultProfile);
        assertThat(afterBoot.getCsChargingProfiles().getChargingSchedule().getChargingSchedulePeriod()[0].getLimit()).isEqualTo(8.0);
    }

    @Test
    void unknownChargePointsAreRefusedUnlessAutoRegistrationIsOn() throws Exception {
        start(Map.of());
        OcaChargePoint stranger = new OcaChargePoint("STRANGER", null, null);
        clients.add(stranger);
        RawClient raw = RawClient.open(url() + "/STRANGER", "ocpp1.6", null);
        assertThat(raw.awaitClosed()).contains("404");
        assertThat(devices.registered).doesNotContainKey("STRANGER");

        engine.reconfigure(Configs.settings(Map.of("chargePoints", new String[] {"CP1"}, "autoRegistration", true,
                "defaultConnectors", 2, "defaultMaxCurrent", 16.0, "defaultPhases", "1")));
        stranger.connect(url());
        Wait.until("auto-registered", () -> devices.registered.containsKey("STRANGER"));
        assertThat(devices.registered.get("STRANGER").connectors()).hasSize(2)
                .allSatisfy(c -> assertThat(c.maxCurrent()).isEqualTo(Current.ofAmps(16)));
    }
}

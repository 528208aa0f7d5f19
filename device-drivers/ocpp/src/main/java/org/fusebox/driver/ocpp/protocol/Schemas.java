package org.fusebox.driver.ocpp.protocol;

import static org.fusebox.driver.ocpp.protocol.Shape.arrayOf;
import static org.fusebox.driver.ocpp.protocol.Shape.bool;
import static org.fusebox.driver.ocpp.protocol.Shape.dateTime;
import static org.fusebox.driver.ocpp.protocol.Shape.decimal;
import static org.fusebox.driver.ocpp.protocol.Shape.enumOf;
import static org.fusebox.driver.ocpp.protocol.Shape.integer;
import static org.fusebox.driver.ocpp.protocol.Shape.object;
import static org.fusebox.driver.ocpp.protocol.Shape.string;
import static org.fusebox.driver.ocpp.protocol.Shape.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The OCPP 1.6J message shapes this central system reads: requests from charge points and answers to its own calls. */
public final class Schemas {

    private Schemas() {
    }

    public static final String[] MEASURANDS = { "Energy.Active.Export.Register", "Energy.Active.Import.Register",
        "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register", "Energy.Active.Export.Interval",
        "Energy.Active.Import.Interval", "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval",
        "Power.Active.Export", "Power.Active.Import", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import",
        "Power.Factor", "Current.Import", "Current.Export", "Current.Offered", "Voltage", "Frequency", "Temperature",
        "SoC", "RPM" };

    public static final String[] CONNECTOR_STATUSES = { "Available", "Preparing", "Charging", "SuspendedEVSE",
        "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted" };

    private static final Shape SAMPLED_VALUE = object()
            .required("value", text())
            .optional("context", enumOf("Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic",
                    "Transaction.Begin", "Transaction.End", "Trigger", "Other"))
            .optional("format", enumOf("Raw", "SignedData"))
            .optional("measurand", enumOf(MEASURANDS))
            .optional("phase", enumOf("L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"))
            .optional("location", enumOf("Cable", "EV", "Inlet", "Outlet", "Body"))
            // the 1.6 text spells it Celcius, its JSON schema Celsius: both are seen in the field
            .optional("unit", enumOf("Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K",
                    "Celcius", "Celsius", "Fahrenheit", "Percent"));

    private static final Shape METER_VALUE = object()
            .required("timestamp", dateTime())
            .required("sampledValue", arrayOf(SAMPLED_VALUE, 1));

    private static final Shape ID_TAG = string(20);

    /** Requests a charge point sends, by action. */
    private static final Map<String, Shape> REQUESTS = Map.of(
            "Authorize", object().required("idTag", ID_TAG),
            "BootNotification", object()
                    .required("chargePointVendor", string(20))
                    .required("chargePointModel", string(20))
                    .optional("chargePointSerialNumber", string(25))
                    .optional("chargeBoxSerialNumber", string(25))
                    .optional("firmwareVersion", string(50))
                    .optional("iccid", string(20))
                    .optional("imsi", string(20))
                    .optional("meterType", string(25))
                    .optional("meterSerialNumber", string(25)),
            "DataTransfer", object()
                    .required("vendorId", string(255))
                    .optional("messageId", string(50))
                    .optional("data", text()),
            "Heartbeat", object(),
            "MeterValues", object()
                    .required("connectorId", integer(0))
                    .optional("transactionId", integer())
                    .required("meterValue", arrayOf(METER_VALUE, 1)),
            "StartTransaction", object()
                    .required("connectorId", integer(1))
                    .required("idTag", ID_TAG)
                    .required("meterStart", integer())
                    .optional("reservationId", integer())
                    .required("timestamp", dateTime()),
            "StatusNotification", object()
                    .required("connectorId", integer(0))
                    .required("errorCode", enumOf("ConnectorLockFailure", "EVCommunicationError", "GroundFailure",
                            "HighTemperature", "InternalError", "LocalListConflict", "NoError", "OtherError",
                            "OverCurrentFailure", "PowerMeterFailure", "PowerSwitchFailure", "ReaderFailure",
                            "ResetFailure", "UnderVoltage", "OverVoltage", "WeakSignal"))
                    .optional("info", string(50))
                    .required("status", enumOf(CONNECTOR_STATUSES))
                    .optional("timestamp", dateTime())
                    .optional("vendorId", string(255))
                    .optional("vendorErrorCode", string(50)),
            "StopTransaction", object()
                    .optional("idTag", ID_TAG)
                    .required("meterStop", integer())
                    .required("timestamp", dateTime())
                    .required("transactionId", integer())
                    .optional("reason", enumOf("EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other",
                            "PowerLoss", "Reboot", "Remote", "SoftReset", "UnlockCommand", "DeAuthorized"))
                    .optional("transactionData", arrayOf(METER_VALUE, 0)));

    /** OCPP 1.6 actions a charge point may send that this version does not handle (Firmware Management). */
    private static final Set<String> UNSUPPORTED_REQUESTS = Set.of("DiagnosticsStatusNotification", "FirmwareStatusNotification");

    /** OCPP 1.6 actions only a central system sends: known, but not something a charge point may ask. */
    private static final Set<String> CENTRAL_SYSTEM_ACTIONS = Set.of("CancelReservation", "ChangeAvailability",
            "ChangeConfiguration", "ClearCache", "ClearChargingProfile", "GetCompositeSchedule", "GetConfiguration",
            "GetDiagnostics", "GetLocalListVersion", "RemoteStartTransaction", "RemoteStopTransaction", "ReserveNow",
            "Reset", "SendLocalList", "SetChargingProfile", "TriggerMessage", "UnlockConnector", "UpdateFirmware");

    private static final Shape SCHEDULE = object()
            .optional("duration", integer())
            .optional("startSchedule", dateTime())
            .required("chargingRateUnit", enumOf("A", "W"))
            .required("chargingSchedulePeriod", arrayOf(object()
                    .required("startPeriod", integer(0))
                    .required("limit", decimal())
                    .optional("numberPhases", integer(1)), 1))
            .optional("minChargingRate", decimal());

    /** Answers to the calls this central system sends, by action. */
    private static final Map<String, Shape> CONFIRMATIONS = Map.ofEntries(
            Map.entry("SetChargingProfile", status("Accepted", "Rejected", "NotSupported")),
            Map.entry("ClearChargingProfile", status("Accepted", "Unknown")),
            Map.entry("GetCompositeSchedule", object()
                    .required("status", enumOf("Accepted", "Rejected"))
                    .optional("connectorId", integer(0))
                    .optional("scheduleStart", dateTime())
                    .optional("chargingSchedule", SCHEDULE)),
            Map.entry("RemoteStartTransaction", status("Accepted", "Rejected")),
            Map.entry("RemoteStopTransaction", status("Accepted", "Rejected")),
            Map.entry("ChangeConfiguration", status("Accepted", "Rejected", "RebootRequired", "NotSupported")),
            Map.entry("GetConfiguration", object()
                    .optional("configurationKey", arrayOf(object()
                            .required("key", string(50))
                            .required("readonly", bool())
                            .optional("value", string(500)), 0))
                    .optional("unknownKey", arrayOf(string(50), 0))),
            Map.entry("TriggerMessage", status("Accepted", "Rejected", "NotImplemented")),
            Map.entry("Reset", status("Accepted", "Rejected")),
            Map.entry("UnlockConnector", status("Unlocked", "UnlockFailed", "NotSupported")),
            Map.entry("ChangeAvailability", status("Accepted", "Rejected", "Scheduled")));

    private static Shape status(String... values) {
        return object().required("status", enumOf(values));
    }

    /** The shape of a request a charge point sent, or the CALLERROR for an action this side does not take. */
    public static Shape requestShape(String action) throws ViolationException {
        Shape s = REQUESTS.get(action);
        if (s != null) {
            return s;
        }
        if (UNSUPPORTED_REQUESTS.contains(action)) {
            throw new ViolationException(ErrorCode.NotSupported, action + " is not supported by this central system");
        }
        if (CENTRAL_SYSTEM_ACTIONS.contains(action)) {
            throw new ViolationException(ErrorCode.NotSupported, action + " is sent by a central system, not to it");
        }
        throw new ViolationException(ErrorCode.NotImplemented, "unknown action '" + Shape.abbreviate(action) + "'");
    }

    /** Checks a charge point's request; empty when it is well formed. */
    public static Optional<Violation> checkRequest(String action, JsonNode payload) {
        try {
            requestShape(action).check(payload, "");
            return Optional.empty();
        } catch (ViolationException e) {
            return Optional.of(e.violation());
        }
    }

    /** Checks a charge point's answer to one of our calls; empty when it is well formed. */
    public static Optional<Violation> checkConfirmation(String action, JsonNode payload) {
        Shape s = CONFIRMATIONS.get(action);
        if (s == null) {
            return Optional.of(new Violation(ErrorCode.NotImplemented, "no confirmation shape for " + action));
        }
        try {
            s.check(payload, "");
            return Optional.empty();
        } catch (ViolationException e) {
            return Optional.of(e.violation());
        }
    }

    public static Set<String> outgoingActions() {
        return CONFIRMATIONS.keySet();
    }
}

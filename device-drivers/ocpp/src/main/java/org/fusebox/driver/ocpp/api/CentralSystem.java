package org.fusebox.driver.ocpp.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The local OCPP 1.6J central system. Each method sends one call to a charge point, queued behind the
 * calls already waiting for it (one at a time per charge point), and returns at once. The stage completes
 * with the charger's answer, or exceptionally with a {@link CallFailedException}.
 *
 * <p>Connector ids are 1-based; 0 means the whole charge point where OCPP allows it.
 */
@ProviderType
public interface CentralSystem {

    List<ChargePointView> chargePoints();

    Optional<ChargePointView> chargePoint(String chargePointId);

    CompletionStage<CallResult> setChargingProfile(String chargePointId, int connectorId, LimitProfile profile);

    /** Every argument but the charge point may be {@code null}: null criteria match everything. */
    CompletionStage<CallResult> clearChargingProfile(String chargePointId, Integer profileId, Integer connectorId,
            ProfilePurpose purpose, Integer stackLevel);

    /** @param unit the unit the schedule should be in, or {@code null} for the charger's choice */
    CompletionStage<CallResult> getCompositeSchedule(String chargePointId, int connectorId, int durationSeconds, RateUnit unit);

    /** @param connectorId the connector to start on, or {@code null} to let the charger choose */
    CompletionStage<CallResult> remoteStartTransaction(String chargePointId, String idTag, Integer connectorId);

    CompletionStage<CallResult> remoteStopTransaction(String chargePointId, int transactionId);

    CompletionStage<CallResult> changeConfiguration(String chargePointId, String key, String value);

    /** @param keys the keys to read, empty for all */
    CompletionStage<CallResult> getConfiguration(String chargePointId, List<String> keys);

    /**
     * @param requestedMessage BootNotification, DiagnosticsStatusNotification, FirmwareStatusNotification,
     *                         Heartbeat, MeterValues or StatusNotification
     * @param connectorId      the connector it is about, or {@code null}
     */
    CompletionStage<CallResult> triggerMessage(String chargePointId, String requestedMessage, Integer connectorId);

    /** @param hard a hard reset (reboot) rather than a soft one */
    CompletionStage<CallResult> reset(String chargePointId, boolean hard);

    CompletionStage<CallResult> unlockConnector(String chargePointId, int connectorId);

    /** @param operative Operative when true, Inoperative when false */
    CompletionStage<CallResult> changeAvailability(String chargePointId, int connectorId, boolean operative);
}

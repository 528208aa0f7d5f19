package org.fusebox.driver.ocpp.api;

import java.time.Instant;
import java.util.List;

/**
 * A charge point as the central system knows it.
 *
 * @param id                 its identity (the last segment of the WebSocket URL)
 * @param connected          whether its WebSocket is open now
 * @param registrationStatus what its last BootNotification was answered (Accepted, Pending, Rejected), or
 *                           None when it has not sent one since this gateway started
 * @param vendor             chargePointVendor from BootNotification, or empty
 * @param model              chargePointModel from BootNotification, or empty
 * @param firmwareVersion    firmwareVersion from BootNotification, or empty
 * @param lastSeen           when it last sent anything, or {@code null}
 * @param connectors         its connectors
 */
public record ChargePointView(String id, boolean connected, String registrationStatus, String vendor, String model,
        String firmwareVersion, Instant lastSeen, List<ConnectorView> connectors) {

    public ChargePointView {
        connectors = List.copyOf(connectors);
    }
}

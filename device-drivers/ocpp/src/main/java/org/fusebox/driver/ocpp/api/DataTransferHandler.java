package org.fusebox.driver.ocpp.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Handles a charger vendor's DataTransfer messages. Registered as an OSGi service; DataTransfers for a
 * vendor id no handler claims are answered UnknownVendorId. Called on the connection thread: be quick.
 */
@ConsumerType
public interface DataTransferHandler {

    /** The vendor id this handler answers for (exact match). */
    String vendorId();

    DataTransferResult handle(String chargePointId, String messageId, String data);
}

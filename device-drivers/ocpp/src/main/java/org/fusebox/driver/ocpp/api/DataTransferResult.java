package org.fusebox.driver.ocpp.api;

import java.util.Objects;

/**
 * The answer to a DataTransfer.
 *
 * @param status Accepted, Rejected, UnknownMessageId or UnknownVendorId
 * @param data   text to return, or {@code null}
 */
public record DataTransferResult(String status, String data) {

    public DataTransferResult {
        Objects.requireNonNull(status, "status");
        if (!java.util.Set.of("Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId").contains(status)) {
            throw new IllegalArgumentException("status must be Accepted, Rejected, UnknownMessageId or UnknownVendorId, got " + status);
        }
    }
}

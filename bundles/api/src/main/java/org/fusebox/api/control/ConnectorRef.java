package org.fusebox.api.control;

import java.util.Objects;

/**
 * Names one connector of one charger.
 *
 * @param chargerId   device id of the charger
 * @param connectorId 1-based connector id
 */
public record ConnectorRef(String chargerId, int connectorId) {
    public ConnectorRef {
        Objects.requireNonNull(chargerId, "chargerId");
        if (connectorId < 1) {
            throw new IllegalArgumentException("connectorId must be 1 or more, got " + connectorId);
        }
    }

    @Override
    public String toString() {
        return chargerId + "/" + connectorId;
    }
}

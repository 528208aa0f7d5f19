package org.fusebox.api.device;

/** Connector states, as OCPP 1.6 names them. */
public enum ConnectorState {
    AVAILABLE,
    PREPARING,
    CHARGING,
    SUSPENDED_EV,
    SUSPENDED_EVSE,
    FINISHING,
    RESERVED,
    UNAVAILABLE,
    FAULTED;

    /** Whether an EV is plugged in and could take current if offered. */
    public boolean wantsCurrent() {
        return this == PREPARING || this == CHARGING || this == SUSPENDED_EVSE || this == SUSPENDED_EV;
    }
}

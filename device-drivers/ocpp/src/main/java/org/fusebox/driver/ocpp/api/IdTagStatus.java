package org.fusebox.driver.ocpp.api;

/** OCPP 1.6 AuthorizationStatus. */
public enum IdTagStatus {
    Accepted, Blocked, Expired, Invalid, ConcurrentTx
}

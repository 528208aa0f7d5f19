package org.fusebox.driver.ocpp.api;

/** OCPP 1.6 ChargingProfilePurposeType. */
public enum ProfilePurpose {
    ChargePointMaxProfile, TxDefaultProfile, TxProfile
}

package org.fusebox.driver.ocpp.api;

/** OCPP 1.6 ChargingRateUnitType: amperes per phase or watts. */
public enum RateUnit {
    A, W
}

package org.fusebox.simulator;

/**
 * Whether the simulated chargers run as OCPP 1.6J charge points of a central system instead of in-process
 * services, and how.
 *
 * @param centralSystemUrl          ws:// or wss:// URL without the charge point id; empty: in-process
 * @param password                  HTTP Basic auth password of every charge point (user = its id), empty for none
 * @param meterValueIntervalSeconds simulated seconds between MeterValues of a transaction
 */
record OcppExposure(String centralSystemUrl, String password, int meterValueIntervalSeconds) {

    static final int DEFAULT_METER_VALUE_INTERVAL_SECONDS = 30;
    static final OcppExposure NONE = new OcppExposure("", "", DEFAULT_METER_VALUE_INTERVAL_SECONDS);

    boolean enabled() {
        return !centralSystemUrl.isEmpty();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "OcppExposure[" + (enabled() ? centralSystemUrl : "off") + (password.isEmpty() ? "" : ", with password")
                + ", MeterValues every " + meterValueIntervalSeconds + " s]";
    }
}

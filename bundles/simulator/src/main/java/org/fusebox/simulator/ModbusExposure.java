package org.fusebox.simulator;

/**
 * Which simulated devices are served over Modbus TCP instead of in-process, and where. A port of 0 keeps
 * the device an in-process service.
 *
 * @param host          address the servers bind to
 * @param gridMeterPort port of the grid meter (SunSpec 1 + 203)
 * @param pvPort        port of the PV inverter (SunSpec 1 + 103 + 123)
 * @param batteryPort   port of the battery (SunSpec 1 + 124 + 802)
 */
record ModbusExposure(String host, int gridMeterPort, int pvPort, int batteryPort) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final ModbusExposure NONE = new ModbusExposure(DEFAULT_HOST, 0, 0, 0);

    boolean any() {
        return gridMeterPort > 0 || pvPort > 0 || batteryPort > 0;
    }
}

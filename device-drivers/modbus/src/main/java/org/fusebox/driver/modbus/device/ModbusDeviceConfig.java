package org.fusebox.driver.modbus.device;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fusebox Modbus device",
        description = "One Modbus TCP or RTU device playing one role. Factory PID fusebox.driver.modbus"
                + " (etc/fusebox.driver.modbus-NAME.cfg, one file per device).")
public @interface ModbusDeviceConfig {

    @AttributeDefinition(name = "Device id", description = "Unique on the site and stable across restarts:"
            + " letters, digits, '.', '_' and '-'.")
    String id();

    @AttributeDefinition(name = "Role", options = {
            @Option(label = "Grid meter", value = "GRID_METER"),
            @Option(label = "PV inverter", value = "PV_INVERTER"),
            @Option(label = "Battery", value = "BATTERY") })
    String role() default "GRID_METER";

    @AttributeDefinition(name = "Transport", options = {
            @Option(label = "Modbus TCP", value = "tcp"),
            @Option(label = "Modbus RTU (serial line)", value = "rtu") })
    String transport() default "tcp";

    @AttributeDefinition(name = "Host", required = false,
            description = "Host name or IP address of the device or gateway (tcp).")
    String host() default "";

    @AttributeDefinition(name = "Port", min = "1", max = "65535")
    int port() default 502;

    @AttributeDefinition(name = "Serial port", required = false, description = "e.g. /dev/ttyUSB0 or COM3 (rtu).")
    String serialPort() default "";

    @AttributeDefinition(name = "Baud rate", required = false, description = "rtu: 1200..115200.")
    int baudRate() default 9600;

    @AttributeDefinition(name = "Data bits", required = false, description = "rtu: 7 or 8.")
    int dataBits() default 8;

    @AttributeDefinition(name = "Parity", required = false, options = {
            @Option(label = "even", value = "even"), @Option(label = "none", value = "none"),
            @Option(label = "odd", value = "odd") })
    String parity() default "even";

    @AttributeDefinition(name = "Stop bits", required = false, description = "rtu: 1 or 2.")
    int stopBits() default 1;

    @AttributeDefinition(name = "Unit id", min = "0", max = "255", description = "Modbus unit (slave) id.")
    int unitId() default 1;

    @AttributeDefinition(name = "Timeout (ms)", min = "1", max = "60000",
            description = "Connect and reply timeout per request.")
    int timeoutMillis() default 1000;

    @AttributeDefinition(name = "Poll period (ms)", min = "50", max = "3600000")
    long pollMillis() default 1000;

    @AttributeDefinition(name = "Slow poll every N polls", min = "1", max = "3600", required = false,
            description = "Points marked slow (energy counters, ratings) are read every N-th poll.")
    int slowPollEvery() default 10;

    @AttributeDefinition(name = "Stale reading bound (ms)", min = "0", max = "3600000", required = false,
            description = "After a failed poll the last good reading is still handed out, marked stale, while it"
                    + " is younger than this; older, the device is OFFLINE or FAULT. 0: three poll periods, or one poll"
                    + " period and two timeouts when longer. Keep it well under the core's readingTimeoutMillis.")
    long staleMillis() default 0;

    @AttributeDefinition(name = "Longest back-off (ms)", min = "50", max = "3600000", required = false,
            description = "A device that does not answer is tried again at once, then after one poll period,"
                    + " doubling up to this; the first answer resets it.")
    long maxBackoffMillis() default 5000;

    @AttributeDefinition(name = "SunSpec rescan period (ms)", min = "0", max = "86400000", required = false,
            description = "map = sunspec: the identity (model 1) and the model chain are read again on every"
                    + " reconnect and this often; a changed layout binds the points again. 0: on reconnects only.")
    long rescanMillis() default 600000;

    @AttributeDefinition(name = "Setpoint revert timeout (s)", min = "1", max = "65534", required = false,
            description = "Written with every SunSpec setpoint (123 WMaxLimPct_RvrtTms, 124 InOutWRte_RvrtTms):"
                    + " the device drops a setpoint no one renewed for this long. A PV cap nobody renews for this"
                    + " long is also released by the driver.")
    int revertSeconds() default 15;

    @AttributeDefinition(name = "Battery may charge from the grid", required = false,
            description = "SunSpec 124 ChaGriSet, written with every setpoint: true GRID, false PV only.")
    boolean gridCharging() default true;

    @AttributeDefinition(name = "Largest gap read through", min = "0", max = "125", required = false,
            description = "Unused registers read to join two requests; 0 for devices that refuse unmapped registers.")
    int maxGap() default 8;

    @AttributeDefinition(name = "Most registers per read", min = "1", max = "125", required = false)
    int maxRegistersPerRead() default 125;

    @AttributeDefinition(name = "Register map", description = "Path of a JSON register map file, builtin:NAME"
            + " for a map shipped in the bundle (builtin:eastron-sdm630), or the word sunspec to discover.")
    String map();

    @AttributeDefinition(name = "Rated power (W)", min = "0", required = false,
            description = "Nameplate AC power of a PV inverter; required for PV_INVERTER.")
    double ratedPowerWatts() default 0;

    @AttributeDefinition(name = "Battery capacity (Wh)", min = "0", required = false,
            description = "Usable capacity; required for BATTERY.")
    double capacityWattHours() default 0;

    @AttributeDefinition(name = "Battery maximum charge (W)", min = "0", required = false,
            description = "Required for BATTERY; a lower limit the device reports caps it.")
    double maxChargeWatts() default 0;

    @AttributeDefinition(name = "Battery maximum discharge (W)", min = "0", required = false,
            description = "Required for BATTERY; a lower limit the device reports caps it.")
    double maxDischargeWatts() default 0;

    @AttributeDefinition(name = "Battery round-trip efficiency (%)", min = "1", max = "100", required = false)
    double efficiencyPercent() default 90;

    @AttributeDefinition(name = "Battery phases", required = false, options = {
            @Option(label = "three phase", value = "3"), @Option(label = "single phase", value = "1") })
    int phases() default 3;
}

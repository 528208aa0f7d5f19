package org.fusebox.driver.modbus.device;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fusebox Modbus TCP device",
        description = "One Modbus TCP device playing one role. Factory PID fusebox.driver.modbus"
                + " (etc/fusebox.driver.modbus-NAME.cfg, one file per device).")
public @interface ModbusDeviceConfig {

    @AttributeDefinition(name = "Device id", description = "Unique on the site and stable across restarts:"
            + " letters, digits, '.', '_' and '-'.")
    String id();

    @AttributeDefinition(name = "Role", options = {
            @Option(label = "Grid meter", value = "GRID_METER"),
            @Option(label = "PV inverter", value = "PV_INVERTER") })
    String role() default "GRID_METER";

    @AttributeDefinition(name = "Host", description = "Host name or IP address of the device or gateway.")
    String host();

    @AttributeDefinition(name = "Port", min = "1", max = "65535")
    int port() default 502;

    @AttributeDefinition(name = "Unit id", min = "0", max = "255", description = "Modbus unit (slave) id.")
    int unitId() default 1;

    @AttributeDefinition(name = "Timeout (ms)", min = "1", max = "60000",
            description = "Connect and reply timeout per request.")
    int timeoutMillis() default 1000;

    @AttributeDefinition(name = "Poll period (ms)", min = "50", max = "3600000")
    long pollMillis() default 1000;

    @AttributeDefinition(name = "Register map", description = "Path of a JSON register map file, builtin:NAME"
            + " for a map shipped in the bundle (builtin:eastron-sdm630), or the word sunspec to discover.")
    String map();

    @AttributeDefinition(name = "Rated power (W)", min = "0", required = false,
            description = "Nameplate AC power of a PV inverter; required for PV_INVERTER.")
    double ratedPowerWatts() default 0;
}

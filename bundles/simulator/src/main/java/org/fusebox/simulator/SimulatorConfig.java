package org.fusebox.simulator;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fusebox simulated site",
        description = "A simulated grid connection with building load, PV, a battery and EV chargers, for demos and tests."
                + " PID fusebox.simulator (etc/fusebox.simulator.cfg).")
public @interface SimulatorConfig {

    @AttributeDefinition(name = "Speed", min = "1", max = "3600",
            description = "Time acceleration: simulated seconds per real second.")
    double speed() default 1;

    @AttributeDefinition(name = "Tick (ms)", min = "50", max = "10000",
            description = "Real milliseconds between simulation steps; each step advances tickMillis x speed of simulated time.")
    long tickMillis() default 250;

    @AttributeDefinition(name = "Seed", description = "Seed for load noise, clouds and EV arrivals; the same seed replays the same site.")
    long seed() default 42;

    @AttributeDefinition(name = "Start time", required = false,
            description = "Simulated time at start, ISO-8601 (2024-06-21T06:00:00Z, or 2024-06-21T06:00 in the time zone below)."
                    + " Empty: now.")
    String startTime() default "";

    @AttributeDefinition(name = "Time zone", required = false,
            description = "Zone for the daily load profile and sunrise, e.g. Europe/Berlin. Empty: the system's zone.")
    String timeZone() default "";

    @AttributeDefinition(name = "Fuse limit (A per phase)", min = "1", max = "4000",
            description = "The physical fuse at the grid connection. The simulator records any time above it.")
    double fuseLimitAmps() default 63;

    @AttributeDefinition(name = "Building base load (kW)", min = "0",
            description = "Night-time load of the building; the daily profile peaks at about 3.5 times this.")
    double baseLoadKw() default 3;

    @AttributeDefinition(name = "PV peak (kW)", min = "0", description = "PV rated output. 0: no PV inverter.")
    double pvPeakKw() default 25;

    @AttributeDefinition(name = "Battery capacity (kWh)", min = "0", description = "Usable capacity. 0: no battery.")
    double batteryCapacityKwh() default 50;

    @AttributeDefinition(name = "Battery maximum charge (kW)", min = "0")
    double batteryMaxChargeKw() default 25;

    @AttributeDefinition(name = "Battery maximum discharge (kW)", min = "0")
    double batteryMaxDischargeKw() default 25;

    @AttributeDefinition(name = "Battery round-trip efficiency (%)", min = "1", max = "100")
    double batteryEfficiencyPercent() default 90;

    @AttributeDefinition(name = "Battery initial state of charge (%)", min = "0", max = "100")
    double batteryInitialSocPercent() default 50;

    @AttributeDefinition(name = "EV chargers", min = "0", max = "100", description = "Number of single-connector AC chargers.")
    int chargers() default 4;

    @AttributeDefinition(name = "Charger phases", options = {
            @Option(label = "single phase (rotated over L1, L2, L3)", value = "1"),
            @Option(label = "three phase", value = "3") })
    int chargerPhases() default 3;

    @AttributeDefinition(name = "Charger minimum current (A)", min = "0", max = "80",
            description = "Lowest current an EV charges at (6 A under IEC 61851); a lower limit pauses the connector.")
    double chargerMinAmps() default 6;

    @AttributeDefinition(name = "Charger maximum current (A)", min = "1", max = "80", description = "Connector rating per phase.")
    double chargerMaxAmps() default 32;

    @AttributeDefinition(name = "Charger failsafe current (A)", min = "0", max = "80",
            description = "What a charger falls back to when it hears nothing from its controller for the failsafe timeout.")
    double chargerFailsafeAmps() default 6;

    @AttributeDefinition(name = "Failsafe timeout (s, real time)", min = "1", max = "3600",
            description = "Chargers fall back to their failsafe current, and the battery to 0 W, after this long without a command.")
    long failsafeTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Mean time between EV arrivals (min, simulated)", min = "0.1",
            description = "EVs arrive at random (Poisson) with this mean gap.")
    double evArrivalMeanMinutes() default 60;

    @AttributeDefinition(name = "Modbus host", required = false,
            description = "Address the Modbus TCP servers bind to (see the ports below).")
    String modbusHost() default "127.0.0.1";

    @AttributeDefinition(name = "Grid meter Modbus port", min = "0", max = "65535", required = false,
            description = "Serve the grid meter over Modbus TCP (SunSpec 1 + 203, unit 1) on this port instead of"
                    + " as an in-process service. 0: in-process.")
    int gridMeterModbusPort() default 0;

    @AttributeDefinition(name = "PV Modbus port", min = "0", max = "65535", required = false,
            description = "Serve the PV inverter over Modbus TCP (SunSpec 1 + 103 + 123, unit 1). 0: in-process.")
    int pvModbusPort() default 0;

    @AttributeDefinition(name = "Battery Modbus port", min = "0", max = "65535", required = false,
            description = "Serve the battery over Modbus TCP (SunSpec 1 + 124 + 802, unit 1). 0: in-process.")
    int batteryModbusPort() default 0;

    @AttributeDefinition(name = "OCPP central system URL", required = false,
            description = "Run the chargers as OCPP 1.6J charge points (ids sim-charger-1..N) connecting to"
                    + " <this URL>/<id> with the subprotocol ocpp1.6, e.g. ws://127.0.0.1:8887/ocpp, instead of as"
                    + " in-process services. Empty: in-process.")
    String ocppCentralSystemUrl() default "";

    @AttributeDefinition(name = "OCPP password", type = AttributeType.PASSWORD, required = false,
            description = "HTTP Basic auth password every simulated charge point presents (user = its id). Empty: none.")
    String ocppPassword() default "";

    @AttributeDefinition(name = "OCPP meter value interval (s, simulated)", min = "1", max = "3600", required = false,
            description = "Simulated seconds between the MeterValues of a running transaction.")
    int ocppMeterValueIntervalSeconds() default 30;
}

package org.fusebox.driver.modbus.device;

import java.util.Map;

/**
 * The point names a register map uses so the driver can tell which value is which measurement. A map may
 * carry other points too; they are read but not used by the role.
 */
public final class PointNames {

    public static final String CURRENT_L1 = "currentL1";
    public static final String CURRENT_L2 = "currentL2";
    public static final String CURRENT_L3 = "currentL3";
    /** Per-phase active power, optional: when present its sign gives the sign of the phase current. */
    public static final String POWER_L1 = "powerL1";
    public static final String POWER_L2 = "powerL2";
    public static final String POWER_L3 = "powerL3";
    /**
     * Per-phase power factor, optional, for meters without per-phase power: its sign gives the sign of the
     * phase current (meters such as the SDM630 sign it by the direction of active power).
     */
    public static final String POWER_FACTOR_L1 = "powerFactorL1";
    public static final String POWER_FACTOR_L2 = "powerFactorL2";
    public static final String POWER_FACTOR_L3 = "powerFactorL3";
    /** Total active power; import positive for a meter, production positive for an inverter. */
    public static final String POWER_TOTAL = "powerTotal";
    public static final String VOLTAGE_L1 = "voltageL1";
    /** Optional; the reading's voltage is the mean of the phase voltages present. */
    public static final String VOLTAGE_L2 = "voltageL2";
    public static final String VOLTAGE_L3 = "voltageL3";
    /**
     * Grid frequency in Hz, optional: the reading carries it when the point has a value within (0, 100) Hz
     * and reads "not measured" otherwise (absent, not implemented, a failed read, 0 from a meter without it).
     */
    public static final String FREQUENCY = "frequency";
    public static final String IMPORT_ENERGY = "importEnergy";
    public static final String EXPORT_ENERGY = "exportEnergy";
    public static final String PRODUCED_ENERGY = "producedEnergy";
    /** Battery AC (or DC) power, charging positive. A battery map gives this or {@link #DISCHARGE_POWER}. */
    public static final String BATTERY_POWER = POWER_TOTAL;
    /** Battery power with the other sign, discharging positive, as inverters and SunSpec 802 report it. */
    public static final String DISCHARGE_POWER = "dischargePower";
    /** State of charge in percent. */
    public static final String SOC = "soc";
    /** Writable battery power setpoint in W, charging positive; readable too when the device reports it. */
    public static final String POWER_SETPOINT = "powerSetpoint";
    /** Optional: what the battery's management allows now; caps the configured ratings. */
    public static final String MAX_CHARGE_POWER = "maxChargePower";
    public static final String MAX_DISCHARGE_POWER = "maxDischargePower";
    /** Writable PV output limit in W ... */
    public static final String OUTPUT_LIMIT = "outputLimit";
    /** ... or in percent of the rated power. */
    public static final String OUTPUT_LIMIT_PERCENT = "outputLimitPercent";

    /** SunSpec meter model 203 point names to ours. */
    static final Map<String, String> SUNSPEC_METER = Map.ofEntries(
            Map.entry("AphA", CURRENT_L1), Map.entry("AphB", CURRENT_L2), Map.entry("AphC", CURRENT_L3),
            Map.entry("WphA", POWER_L1), Map.entry("WphB", POWER_L2), Map.entry("WphC", POWER_L3),
            Map.entry("W", POWER_TOTAL),
            Map.entry("PhVphA", VOLTAGE_L1), Map.entry("PhVphB", VOLTAGE_L2), Map.entry("PhVphC", VOLTAGE_L3),
            Map.entry("Hz", FREQUENCY),
            Map.entry("TotWhImp", IMPORT_ENERGY), Map.entry("TotWhExp", EXPORT_ENERGY));

    /** SunSpec inverter model 103 point names to ours. */
    static final Map<String, String> SUNSPEC_INVERTER = Map.of("W", POWER_TOTAL, "WH", PRODUCED_ENERGY);

    /** SunSpec inverter W seen from a battery inverter: output to the grid is discharging. */
    static final Map<String, String> SUNSPEC_BATTERY_INVERTER = Map.of("W", DISCHARGE_POWER);

    /**
     * SunSpec battery model 802. SunSpec leaves the sign of 802's W open; like an inverter's W, power out
     * of the device is taken as positive, i.e. discharging.
     */
    static final Map<String, String> SUNSPEC_BATTERY = Map.of("W", DISCHARGE_POWER, "SoC", SOC,
            "WChaRteMax", MAX_CHARGE_POWER, "WDisChaRteMax", MAX_DISCHARGE_POWER);

    /** SunSpec storage model 124: its state of charge, when 802 does not give one. */
    static final Map<String, String> SUNSPEC_STORAGE = Map.of("ChaState", SOC);

    private PointNames() {
    }
}

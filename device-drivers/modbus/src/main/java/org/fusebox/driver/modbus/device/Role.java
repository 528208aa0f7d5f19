package org.fusebox.driver.modbus.device;

import java.util.List;

/** The device roles this driver can play, with the point names each needs from a register map. */
public enum Role {
    GRID_METER(List.of(PointNames.CURRENT_L1, PointNames.CURRENT_L2, PointNames.CURRENT_L3,
            PointNames.POWER_TOTAL, PointNames.VOLTAGE_L1, PointNames.IMPORT_ENERGY, PointNames.EXPORT_ENERGY)),
    PV_INVERTER(List.of(PointNames.POWER_TOTAL, PointNames.PRODUCED_ENERGY));

    private final List<String> requiredPoints;

    Role(List<String> requiredPoints) {
        this.requiredPoints = requiredPoints;
    }

    public List<String> requiredPoints() {
        return requiredPoints;
    }
}

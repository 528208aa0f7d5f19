package org.fusebox.driver.modbus.device;

import java.util.ArrayList;
import java.util.List;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.RegisterMap;

/** The device roles this driver can play, with the point names each needs from a register map. */
public enum Role {
    GRID_METER(List.of(PointNames.CURRENT_L1, PointNames.CURRENT_L2, PointNames.CURRENT_L3,
            PointNames.POWER_TOTAL, PointNames.VOLTAGE_L1, PointNames.IMPORT_ENERGY, PointNames.EXPORT_ENERGY)),
    PV_INVERTER(List.of(PointNames.POWER_TOTAL, PointNames.PRODUCED_ENERGY)),
    BATTERY(List.of(PointNames.SOC));

    private final List<String> requiredPoints;

    Role(List<String> requiredPoints) {
        this.requiredPoints = requiredPoints;
    }

    /** Points every map for this role must have (a battery also needs one of its two power points). */
    public List<String> requiredPoints() {
        return requiredPoints;
    }

    /** What a map lacks for this role, each as a sentence; empty when it has everything. */
    public List<String> problemsWith(RegisterMap map) {
        List<String> problems = new ArrayList<>();
        List<String> missing = requiredPoints.stream().filter(name -> map.point(name).isEmpty()).toList();
        if (!missing.isEmpty()) {
            problems.add("lacks the points " + missing + " that a " + this + " needs");
        }
        if (this == BATTERY) {
            if (map.point(PointNames.BATTERY_POWER).isEmpty() && map.point(PointNames.DISCHARGE_POWER).isEmpty()) {
                problems.add("lacks a battery power point: " + PointNames.BATTERY_POWER + " (charging positive) or "
                        + PointNames.DISCHARGE_POWER + " (discharging positive)");
            }
            if (map.point(PointNames.POWER_SETPOINT).filter(p -> p.access().writable()).isEmpty()) {
                problems.add("lacks a writable " + PointNames.POWER_SETPOINT + " point (\"access\": \"write\" or"
                        + " \"readWrite\") that a BATTERY needs");
            }
        }
        for (String name : List.of(PointNames.OUTPUT_LIMIT, PointNames.OUTPUT_LIMIT_PERCENT,
                PointNames.POWER_SETPOINT)) {
            map.point(name).filter(p -> !p.access().writable()).map(Point::name).ifPresent(n -> problems.add(
                    "point " + n + " is a setpoint but not writable (give it \"access\": \"write\" or \"readWrite\")"));
        }
        return problems;
    }
}

package org.fusebox.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.PauseReasons;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;

/**
 * One line of {@code fusebox:devices}: a device, or one connector of a charger.
 *
 * @param device      device id, {@code charger/connector} for connectors
 * @param role        grid, pv, battery or charger
 * @param status      the device's status, with its reason when not online
 * @param measurement the main measurement, in words
 * @param setpoint    the setpoint the last cycle applied, or {@value Format#NONE}
 */
record DeviceRow(String device, String role, String status, String measurement, String setpoint) {

    static final String NO_READING = "no reading";

    /** Every device of the cycle's snapshot, in the order grid, PV, batteries, chargers. */
    static List<DeviceRow> of(CycleReport report) {
        SiteSnapshot site = report.snapshot();
        Setpoints applied = report.applied();
        List<DeviceRow> rows = new ArrayList<>();
        if (site.grid() != null) {
            rows.add(grid(site.grid()));
        }
        site.pv().forEach(pv -> rows.add(pv(pv, applied)));
        site.batteries().forEach(b -> rows.add(battery(b, applied)));
        site.chargers().forEach(c -> rows.addAll(connectors(c, applied, report)));
        return rows;
    }

    static DeviceRow grid(GridState grid) {
        String measurement = grid.reading() == null ? NO_READING : Format.gridPower(grid.reading().power());
        return new DeviceRow(grid.id(), "grid", Format.status(grid.status()), measurement, Format.NONE);
    }

    static DeviceRow pv(PvState pv, Setpoints applied) {
        String measurement = pv.reading() == null ? NO_READING : "producing " + Format.kilowatts(pv.reading().power());
        String setpoint = applied.pvLimit(pv.id()).map(cap -> "cap " + Format.kilowatts(cap)).orElse(Format.NONE);
        return new DeviceRow(pv.id(), "pv", Format.status(pv.status()), measurement, setpoint);
    }

    static DeviceRow battery(BatteryState battery, Setpoints applied) {
        String measurement = battery.reading() == null ? NO_READING
                : Format.batteryPower(battery.reading().power()) + ", SoC " + Format.percent(battery.reading().soc());
        String setpoint = applied.batteryPower(battery.id()).map(Format::batterySetpoint).orElse(Format.NONE);
        return new DeviceRow(battery.id(), "battery", Format.status(battery.status()), measurement, setpoint);
    }

    /** One row per connector: declared ones first, then any the charger reports on without declaring. */
    static List<DeviceRow> connectors(ChargerState charger, Setpoints applied) {
        return connectors(charger, applied, null);
    }

    /** @param report the cycle, to say why a plugged-in EV is paused; null for no reasons */
    static List<DeviceRow> connectors(ChargerState charger, Setpoints applied, CycleReport report) {
        Map<Integer, ConnectorReading> readings = new LinkedHashMap<>();
        if (charger.reading() != null) {
            charger.reading().connectors().forEach(r -> readings.put(r.connectorId(), r));
        }
        List<DeviceRow> rows = new ArrayList<>();
        for (ConnectorInfo info : charger.connectors()) {
            rows.add(connector(charger, info.connectorId(), Optional.ofNullable(readings.remove(info.connectorId())), applied, report));
        }
        readings.values().forEach(r -> rows.add(connector(charger, r.connectorId(), Optional.of(r), applied, report)));
        if (rows.isEmpty()) {
            rows.add(new DeviceRow(charger.id(), "charger", Format.status(charger.status()), "no connectors", Format.NONE));
        }
        return rows;
    }

    private static DeviceRow connector(ChargerState charger, int connectorId, Optional<ConnectorReading> reading,
            Setpoints applied, CycleReport report) {
        ConnectorRef ref = new ConnectorRef(charger.id(), connectorId);
        String measurement = reading.map(DeviceRow::connectorMeasurement).orElse(NO_READING);
        String setpoint = applied.chargerLimit(ref).map(DeviceRow::chargerSetpoint).orElse(Format.NONE);
        if (report != null) {
            Optional<String> why = PauseReasons.of(report, ref, reading.orElse(null));
            if (why.isPresent()) {
                setpoint = "0 A (paused: " + why.get() + ")";
            }
        }
        return new DeviceRow(ref.toString(), "charger", Format.status(charger.status()), measurement, setpoint);
    }

    /** {@code CHARGING 11.04 kW, session 5.20 kWh}; power and session only when there is something to say. */
    private static String connectorMeasurement(ConnectorReading r) {
        StringBuilder text = new StringBuilder(r.state().name());
        if (r.power().watts() != 0) {
            text.append(' ').append(Format.kilowatts(r.power()));
        }
        if (r.session() != null) {
            text.append(", session ").append(Format.kilowattHours(r.session().delivered()));
        }
        return text.toString();
    }

    private static String chargerSetpoint(Current limit) {
        return limit.amps() == 0 ? "0 A (paused)" : Format.amps(limit);
    }
}

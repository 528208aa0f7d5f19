package org.fusebox.driver.modbus.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.sunspec.SunSpecModel;
import org.fusebox.driver.modbus.sunspec.SunSpecPoints;
import org.fusebox.driver.modbus.sunspec.SunSpecScan;

/**
 * What the driver knows about one device once its map is settled: the points (named as {@link PointNames}
 * where the role uses them) and how a setpoint reaches the device.
 *
 * @param map    the points, read by poll class
 * @param writer how a power setpoint is written: the battery's power or the PV output limit
 */
record DeviceProfile(RegisterMap map, SetpointWriter writer) {

    /**
     * What a SunSpec setpoint is written with besides the value.
     *
     * @param revertSeconds     written as WMaxLimPct_RvrtTms (123) and InOutWRte_RvrtTms (124), so a device
     *                          whose gateway stops writing drops the setpoint by itself
     * @param gridCharging      ChaGriSet (124): may the battery charge from the grid
     * @param maxDischargeWatts the discharge reference when the device does not report one (802 WDisChaRteMax)
     */
    record Controls(int revertSeconds, boolean gridCharging, double maxDischargeWatts) {
        static final Controls DEFAULTS = new Controls(15, true, 0);
    }

    /** Writes one setpoint in W on the poll thread. */
    @FunctionalInterface
    interface SetpointWriter {
        WriteResult write(ModbusMasterDriver driver, double watts) throws ConnectionException;
    }

    boolean canWrite() {
        return !(writer instanceof Unsupported);
    }

    /** A device whose map has no setpoint: every write is refused with the reason. */
    record Unsupported(String reason) implements SetpointWriter {
        @Override
        public WriteResult write(ModbusMasterDriver driver, double watts) {
            return WriteResult.rejected(reason);
        }
    }

    /** The profile for a map from a file; the settings checked the points the role needs. */
    static DeviceProfile fromMap(RegisterMap map, Role role, double ratedWatts) {
        return switch (role) {
            case GRID_METER -> new DeviceProfile(map, new Unsupported("a grid meter takes no setpoint"));
            case BATTERY -> new DeviceProfile(map, (driver, watts) ->
                    driver.writePoint(map.point(PointNames.POWER_SETPOINT).orElseThrow(), watts));
            case PV_INVERTER -> new DeviceProfile(map, pvWriter(map, ratedWatts));
        };
    }

    private static SetpointWriter pvWriter(RegisterMap map, double ratedWatts) {
        Optional<Point> watts = map.point(PointNames.OUTPUT_LIMIT);
        if (watts.isPresent()) {
            return (driver, limit) -> driver.writePoint(watts.get(), Math.min(limit, ratedWatts));
        }
        Optional<Point> percent = map.point(PointNames.OUTPUT_LIMIT_PERCENT);
        if (percent.isPresent()) {
            return (driver, limit) -> driver.writePoint(percent.get(), percentOf(limit, ratedWatts));
        }
        return new Unsupported("the register map has no " + PointNames.OUTPUT_LIMIT + " or "
                + PointNames.OUTPUT_LIMIT_PERCENT + " point");
    }

    /**
     * The profile for a scanned SunSpec device.
     *
     * @throws IllegalStateException naming what the role needs and the scan did not find
     */
    static DeviceProfile fromSunSpec(SunSpecScan scan, Role role, double ratedWatts) {
        return fromSunSpec(scan, role, ratedWatts, Controls.DEFAULTS);
    }

    static DeviceProfile fromSunSpec(SunSpecScan scan, Role role, double ratedWatts, Controls controlSettings) {
        Optional<SunSpecModel> meter = first(scan, SunSpecPoints.METERS_INT, SunSpecPoints.METERS_FLOAT);
        Optional<SunSpecModel> inverter = first(scan, SunSpecPoints.INVERTERS_INT, SunSpecPoints.INVERTERS_FLOAT);
        switch (role) {
            case GRID_METER -> {
                SunSpecModel m = meter.orElseThrow(() -> notFound(scan, "a meter model (201-204, 211-214)"));
                return new DeviceProfile(renamed(SunSpecPoints.meter(m), PointNames.SUNSPEC_METER),
                        new Unsupported("a grid meter takes no setpoint"));
            }
            case PV_INVERTER -> {
                SunSpecModel m = inverter.orElseThrow(() -> notFound(scan, "an inverter model (101-103, 111-113)"));
                List<Point> points = new ArrayList<>(renamed(SunSpecPoints.inverter(m), PointNames.SUNSPEC_INVERTER)
                        .points());
                SetpointWriter writer = new Unsupported("the device has no SunSpec controls model 123");
                Optional<SunSpecModel> controls = scan.model(SunSpecPoints.CONTROLS);
                if (controls.isPresent()) {
                    RegisterMap c = SunSpecPoints.controls123(controls.get());
                    points.addAll(c.points());
                    writer = (driver, limit) -> sunspecOutputLimit(driver, c, percentOf(limit, ratedWatts),
                            controlSettings.revertSeconds());
                }
                return new DeviceProfile(new RegisterMap("SunSpec PV inverter", points), writer);
            }
            case BATTERY -> {
                Optional<SunSpecModel> battery = scan.model(SunSpecPoints.BATTERY);
                Optional<SunSpecModel> storage = scan.model(SunSpecPoints.STORAGE);
                if (battery.isEmpty() && storage.isEmpty()) {
                    throw notFound(scan, "storage model 124 or battery model 802");
                }
                List<Point> points = new ArrayList<>();
                battery.ifPresent(b -> points.addAll(renamed(SunSpecPoints.battery802(b), PointNames.SUNSPEC_BATTERY)
                        .points()));
                RegisterMap storageMap = storage.map(SunSpecPoints::storage124).orElse(null);
                if (storageMap != null) {
                    // 802's SoC is the battery's own; 124's ChaState stands in only without it
                    points.addAll(battery.isPresent() ? storageMap.points()
                            : renamed(storageMap, PointNames.SUNSPEC_STORAGE).points());
                }
                if (battery.isEmpty()) {
                    // a hybrid inverter's AC W carries its PV too; the DC side is the battery's own power
                    SunSpecModel m = inverter.orElseThrow(() -> notFound(scan,
                            "battery model 802 or an inverter model for the battery's power"));
                    SunSpecPoints.inverter(m).point("DCW").map(w -> w.withName(PointNames.DISCHARGE_POWER))
                            .ifPresent(points::add);
                }
                Point dischargeMax = battery.map(SunSpecPoints::battery802).flatMap(b -> b.point("WDisChaRteMax"))
                        .orElse(null);
                SetpointWriter writer = storageMap == null
                        ? new Unsupported("the device has no SunSpec storage control model 124")
                        : (driver, watts) -> sunspecStorage(driver, storageMap, dischargeMax, watts, controlSettings);
                return new DeviceProfile(new RegisterMap("SunSpec battery", points), writer);
            }
            default -> throw new IllegalStateException("unknown role " + role);
        }
    }

    /**
     * Model 123: the revert timeout, WMaxLimPct, then the enable, so the device never enables a stale limit
     * and drops the limit by itself when no one renews it.
     */
    private static WriteResult sunspecOutputLimit(ModbusMasterDriver driver, RegisterMap controls, double percent,
            int revertSeconds) throws ConnectionException {
        if (percent < 100) {
            writeOptional(driver, controls, "WMaxLimPct_RvrtTms", revertSeconds);
        }
        WriteResult pct = driver.writePoint(controls.point("WMaxLimPct").orElseThrow(), percent);
        if (!pct.isAccepted()) {
            return pct;
        }
        return driver.writePoint(controls.point("WMaxLim_Ena").orElseThrow(), percent < 100 ? 1 : 0);
    }

    /**
     * Model 124 sets rates, not powers: charging at InWRte percent of WChaMax with StorCtl_Mod bit 0, or
     * discharging at OutWRte percent of the discharge maximum with bit 1 (the model's own bases: "% WChaMax"
     * and "% WDisChaMax"; 124 has no WDisChaMax register, so it comes from 802's WDisChaRteMax, else from the
     * configured maxDischargeWatts). Zero sets both rates to 0 with both bits: hold. The revert timeout and
     * ChaGriSet go first, then the rates, then the mode, so the mode never activates an old rate.
     */
    private static WriteResult sunspecStorage(ModbusMasterDriver driver, RegisterMap storage, Point dischargeMax,
            double watts, Controls controls) throws ConnectionException {
        double max;
        String reference;
        if (watts >= 0) {
            reference = "WChaMax";
            ChannelRecord r = driver.read(List.of(PointChannels.toChannel(storage.point("WChaMax").orElseThrow())))
                    .get(0);
            if (!r.succeeded()) {
                return WriteResult.failed("cannot read WChaMax, the reference of the charge rate: " + r.error());
            }
            max = r.value().asDouble();
        } else {
            reference = "WDisChaRteMax";
            max = Double.NaN;
            if (dischargeMax != null) {
                ChannelRecord r = driver.read(List.of(PointChannels.toChannel(dischargeMax))).get(0);
                max = r.succeeded() ? r.value().asDouble() : Double.NaN;
            }
            if (!(max > 0)) {
                reference = "maxDischargeWatts";
                max = controls.maxDischargeWatts();
            }
        }
        if (watts != 0 && !(max > 0)) {
            return WriteResult.rejected("the device reports " + reference + " " + max + " W, so no rate can be set");
        }
        double percent = watts == 0 ? 0 : Math.min(100, Math.abs(watts) / max * 100);
        int mode = watts > 0 ? 1 : watts < 0 ? 2 : 3;
        writeOptional(driver, storage, "InOutWRte_RvrtTms", controls.revertSeconds());
        writeOptional(driver, storage, "ChaGriSet", controls.gridCharging() ? 1 : 0);
        Point in = storage.point("InWRte").orElseThrow();
        Point out = storage.point("OutWRte").orElseThrow();
        List<ChannelRecord> before = driver.read(List.of(PointChannels.toChannel(in), PointChannels.toChannel(out)));
        for (Map.Entry<Point, Double> write : List.of(
                Map.entry(in, watts > 0 ? percent : 0.0),
                Map.entry(out, watts < 0 ? percent : 0.0),
                Map.entry(storage.point("StorCtl_Mod").orElseThrow(), (double) mode))) {
            WriteResult r = driver.writePoint(write.getKey(), write.getValue());
            if (!r.isAccepted()) {
                restoreRates(driver, in, out, before);
                return r;
            }
        }
        return WriteResult.accepted();
    }

    /**
     * A refused step leaves the rates as they were before the setpoint, so the rates read back (the
     * reading's setpoint) never show a setpoint the battery refused with its old mode.
     */
    private static void restoreRates(ModbusMasterDriver driver, Point in, Point out, List<ChannelRecord> before)
            throws ConnectionException {
        for (int i = 0; i < 2; i++) {
            ChannelRecord was = before.get(i);
            if (was.succeeded()) {
                driver.writePoint(i == 0 ? in : out, was.value().asDouble());
            }
        }
    }

    /**
     * Writes a point the SunSpec model marks optional; a device that refuses it still takes the setpoint,
     * so the refusal is logged (once per device and point) and the setpoint goes on.
     */
    private static void writeOptional(ModbusMasterDriver driver, RegisterMap map, String name, double value)
            throws ConnectionException {
        Optional<Point> point = map.point(name);
        if (point.isEmpty() || driver.refusedOptional(name)) {
            return;
        }
        WriteResult r = driver.writePoint(point.get(), value);
        if (!r.isAccepted()) {
            driver.markRefusedOptional(name, r.detail());
        }
    }

    static double percentOf(double watts, double ratedWatts) {
        return Math.max(0, Math.min(100, watts / ratedWatts * 100));
    }

    private static Optional<SunSpecModel> first(SunSpecScan scan, Set<Integer> ids, Set<Integer> moreIds) {
        return scan.models().stream().filter(m -> ids.contains(m.id()) || moreIds.contains(m.id())).findFirst();
    }

    private static IllegalStateException notFound(SunSpecScan scan, String what) {
        String found = scan.found() ? "found models " + scan.models().stream().map(SunSpecModel::id).toList() : "";
        String problem = scan.problem() == null ? "" : scan.problem();
        return new IllegalStateException("SunSpec " + what + " not found: "
                + String.join("; ", List.of(found, problem).stream().filter(s -> !s.isEmpty()).toList()));
    }

    static RegisterMap renamed(RegisterMap map, Map<String, String> names) {
        return new RegisterMap(map.name(), map.points().stream()
                .map(p -> p.withName(names.getOrDefault(p.name(), p.name()))).toList());
    }
}

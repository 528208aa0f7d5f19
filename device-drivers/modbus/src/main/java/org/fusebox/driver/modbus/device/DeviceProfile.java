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
                    writer = (driver, limit) -> sunspecOutputLimit(driver, c, percentOf(limit, ratedWatts));
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
                    SunSpecModel m = inverter.orElseThrow(() -> notFound(scan,
                            "battery model 802 or an inverter model for the battery's power"));
                    SunSpecPoints.inverter(m).point("W").map(w -> w.withName(PointNames.DISCHARGE_POWER))
                            .ifPresent(points::add);
                }
                SetpointWriter writer = storageMap == null
                        ? new Unsupported("the device has no SunSpec storage control model 124")
                        : (driver, watts) -> sunspecStorage(driver, storageMap, watts);
                return new DeviceProfile(new RegisterMap("SunSpec battery", points), writer);
            }
            default -> throw new IllegalStateException("unknown role " + role);
        }
    }

    /** Model 123: WMaxLimPct, then the enable, so the device never enables a stale limit. */
    private static WriteResult sunspecOutputLimit(ModbusMasterDriver driver, RegisterMap controls, double percent)
            throws ConnectionException {
        WriteResult pct = driver.writePoint(controls.point("WMaxLimPct").orElseThrow(), percent);
        if (!pct.isAccepted()) {
            return pct;
        }
        return driver.writePoint(controls.point("WMaxLim_Ena").orElseThrow(), percent < 100 ? 1 : 0);
    }

    /**
     * Model 124 sets rates, not powers: charging at InWRte percent of WChaMax with StorCtl_Mod bit 0, or
     * discharging at OutWRte percent with bit 1. Zero sets both rates to 0 with both bits: hold. Rates are
     * written before the mode so the mode never activates an old rate.
     */
    private static WriteResult sunspecStorage(ModbusMasterDriver driver, RegisterMap storage, double watts)
            throws ConnectionException {
        Point wChaMax = storage.point("WChaMax").orElseThrow();
        ChannelRecord reference = driver.read(List.of(PointChannels.toChannel(wChaMax))).get(0);
        if (!reference.succeeded()) {
            return WriteResult.failed("cannot read WChaMax, the reference of the rates: " + reference.error());
        }
        double max = reference.value().asDouble();
        if (!(max > 0)) {
            return WriteResult.rejected("the device reports WChaMax " + max + " W, so no rate can be set");
        }
        double percent = Math.min(100, Math.abs(watts) / max * 100);
        int mode = watts > 0 ? 1 : watts < 0 ? 2 : 3;
        for (Map.Entry<String, Double> write : List.of(
                Map.entry("InWRte", watts > 0 ? percent : 0.0),
                Map.entry("OutWRte", watts < 0 ? percent : 0.0),
                Map.entry("StorCtl_Mod", (double) mode))) {
            WriteResult r = driver.writePoint(storage.point(write.getKey()).orElseThrow(), write.getValue());
            if (!r.isAccepted()) {
                return r;
            }
        }
        return WriteResult.accepted();
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

package org.fusebox.driver.modbus.sunspec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fusebox.driver.modbus.map.Access;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.PointType;
import org.fusebox.driver.modbus.map.PollClass;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.map.RegisterType;

/**
 * Register maps for the SunSpec models this driver understands, placed at the address where discovery
 * found the model. Offsets are those of the SunSpec information model tables; the point names are the
 * SunSpec point names, so they can be looked up in the specification. Integer models carry scale-factor
 * registers; the float models (111-113, 211-214) have none and mark "not implemented" with NaN.
 * Energy counters and nameplate ratings are slow points: they change slowly and the control loop does not
 * need them every poll.
 */
public final class SunSpecPoints {

    public static final int INVERTER_SINGLE_PHASE = 101;
    public static final int INVERTER_SPLIT_PHASE = 102;
    public static final int INVERTER_THREE_PHASE = 103;
    public static final Set<Integer> INVERTERS_INT = Set.of(101, 102, 103);
    public static final Set<Integer> INVERTERS_FLOAT = Set.of(111, 112, 113);
    public static final int CONTROLS = 123;
    public static final int STORAGE = 124;
    public static final Set<Integer> METERS_INT = Set.of(201, 202, 203, 204);
    public static final Set<Integer> METERS_FLOAT = Set.of(211, 212, 213, 214);
    public static final int METER_WYE = 203;
    public static final int BATTERY = 802;

    private SunSpecPoints() {
    }

    /** Model 203, three-phase wye-connect meter (kept for callers that know they have one). */
    public static RegisterMap meter203(SunSpecModel model) {
        return meter(model);
    }

    /** Model 103, three-phase inverter. */
    public static RegisterMap inverter103(SunSpecModel model) {
        return inverter(model);
    }

    /**
     * Meter models 201 (single phase), 202 (split phase), 203 (wye), 204 (delta) share one integer layout
     * of 105 registers; 211-214 share one float layout of 124. Phases a model does not have read as "not
     * implemented".
     */
    public static RegisterMap meter(SunSpecModel model) {
        if (METERS_INT.contains(model.id())) {
            requireLength(model, 105);
            Builder b = new Builder(model);
            b.scaled("A", 0, PointType.INT16, 4, "A");
            b.scaled("AphA", 1, PointType.INT16, 4, "A");
            b.scaled("AphB", 2, PointType.INT16, 4, "A");
            b.scaled("AphC", 3, PointType.INT16, 4, "A");
            b.scaled("PhVphA", 6, PointType.INT16, 13, "V");
            b.scaled("PhVphB", 7, PointType.INT16, 13, "V");
            b.scaled("PhVphC", 8, PointType.INT16, 13, "V");
            b.scaled("Hz", 14, PointType.INT16, 15, "Hz");
            b.scaled("W", 16, PointType.INT16, 20, "W");
            b.scaled("WphA", 17, PointType.INT16, 20, "W");
            b.scaled("WphB", 18, PointType.INT16, 20, "W");
            b.scaled("WphC", 19, PointType.INT16, 20, "W");
            b.slow().scaled("TotWhExp", 36, PointType.UINT32, 52, "Wh");
            b.slow().scaled("TotWhImp", 44, PointType.UINT32, 52, "Wh");
            return b.build("SunSpec meter " + model.id());
        }
        if (METERS_FLOAT.contains(model.id())) {
            requireLength(model, 124);
            Builder b = new Builder(model);
            b.plain("A", 0, PointType.FLOAT32, "A");
            b.plain("AphA", 2, PointType.FLOAT32, "A");
            b.plain("AphB", 4, PointType.FLOAT32, "A");
            b.plain("AphC", 6, PointType.FLOAT32, "A");
            b.plain("PhVphA", 10, PointType.FLOAT32, "V");
            b.plain("PhVphB", 12, PointType.FLOAT32, "V");
            b.plain("PhVphC", 14, PointType.FLOAT32, "V");
            b.plain("Hz", 24, PointType.FLOAT32, "Hz");
            b.plain("W", 26, PointType.FLOAT32, "W");
            b.plain("WphA", 28, PointType.FLOAT32, "W");
            b.plain("WphB", 30, PointType.FLOAT32, "W");
            b.plain("WphC", 32, PointType.FLOAT32, "W");
            b.slow().plain("TotWhExp", 58, PointType.FLOAT32, "Wh");
            b.slow().plain("TotWhImp", 66, PointType.FLOAT32, "Wh");
            return b.build("SunSpec meter " + model.id());
        }
        throw new IllegalArgumentException("model " + model.id() + " is not a SunSpec meter model");
    }

    /**
     * Inverter models 101 (single phase), 102 (split phase), 103 (three phase) share one integer layout of
     * 50 registers; 111-113 share one float layout of 60.
     */
    public static RegisterMap inverter(SunSpecModel model) {
        if (INVERTERS_INT.contains(model.id())) {
            requireLength(model, 50);
            Builder b = new Builder(model);
            b.scaled("A", 0, PointType.UINT16, 4, "A");
            b.scaled("AphA", 1, PointType.UINT16, 4, "A");
            b.scaled("AphB", 2, PointType.UINT16, 4, "A");
            b.scaled("AphC", 3, PointType.UINT16, 4, "A");
            b.scaled("PhVphA", 8, PointType.UINT16, 11, "V");
            b.scaled("PhVphB", 9, PointType.UINT16, 11, "V");
            b.scaled("PhVphC", 10, PointType.UINT16, 11, "V");
            b.scaled("W", 12, PointType.INT16, 13, "W");
            b.scaled("Hz", 14, PointType.UINT16, 15, "Hz");
            b.slow().scaled("WH", 22, PointType.UINT32, 24, "Wh");
            b.scaled("DCW", 29, PointType.INT16, 30, "W");
            b.plain("St", 36, PointType.UINT16, "");
            return b.build("SunSpec inverter " + model.id());
        }
        if (INVERTERS_FLOAT.contains(model.id())) {
            requireLength(model, 60);
            Builder b = new Builder(model);
            b.plain("A", 0, PointType.FLOAT32, "A");
            b.plain("AphA", 2, PointType.FLOAT32, "A");
            b.plain("AphB", 4, PointType.FLOAT32, "A");
            b.plain("AphC", 6, PointType.FLOAT32, "A");
            b.plain("PhVphA", 14, PointType.FLOAT32, "V");
            b.plain("PhVphB", 16, PointType.FLOAT32, "V");
            b.plain("PhVphC", 18, PointType.FLOAT32, "V");
            b.plain("W", 20, PointType.FLOAT32, "W");
            b.plain("Hz", 22, PointType.FLOAT32, "Hz");
            b.slow().plain("WH", 30, PointType.FLOAT32, "Wh");
            b.plain("DCW", 36, PointType.FLOAT32, "W");
            b.plain("St", 46, PointType.UINT16, "");
            return b.build("SunSpec inverter " + model.id());
        }
        throw new IllegalArgumentException("model " + model.id() + " is not a SunSpec inverter model");
    }

    /**
     * Model 123, immediate inverter controls: the output limit as a percentage of WMax, its enable, and the
     * timeout after which the inverter drops the limit by itself (WMaxLimPct_RvrtTms, optional in the model).
     */
    public static RegisterMap controls123(SunSpecModel model) {
        requireModel(model, CONTROLS, 24);
        Builder b = new Builder(model);
        b.writable(true).scaled("WMaxLimPct", 3, PointType.UINT16, 21, "%");
        b.writeOnly().plain("WMaxLimPct_RvrtTms", 5, PointType.UINT16, "s");
        b.writable(true).plain("WMaxLim_Ena", 7, PointType.UINT16, "");
        return b.build("SunSpec controls 123");
    }

    /**
     * Model 124, basic storage controls: the charge reference WChaMax, the state of charge, the
     * charge/discharge rates with the mode bits that activate them, the timeout after which the device
     * drops the rates (InOutWRte_RvrtTms) and whether it may charge from the grid (ChaGriSet: 0 PV, 1 GRID).
     * The model gives InWRte in "% WChaMax" and OutWRte in "% WDisChaMax" (SunSpec model_124.json): the
     * two rates have different bases. The last two points are optional in the model.
     */
    public static RegisterMap storage124(SunSpecModel model) {
        requireModel(model, STORAGE, 24);
        Builder b = new Builder(model);
        b.slow().scaled("WChaMax", 0, PointType.UINT16, 16, "W");
        b.writable(true).plain("StorCtl_Mod", 3, PointType.UINT16, "");
        b.scaled("ChaState", 6, PointType.UINT16, 20, "%");
        b.writable(true).scaled("OutWRte", 10, PointType.INT16, 23, "%");
        b.writable(true).scaled("InWRte", 11, PointType.INT16, 23, "%");
        b.writeOnly().plain("InOutWRte_RvrtTms", 13, PointType.UINT16, "s");
        b.writeOnly().plain("ChaGriSet", 15, PointType.UINT16, "");
        return b.build("SunSpec storage 124");
    }

    /** Model 802, battery base: ratings, state of charge and the battery's power. */
    public static RegisterMap battery802(SunSpecModel model) {
        requireModel(model, BATTERY, 62);
        Builder b = new Builder(model);
        b.slow().scaled("WHRtg", 1, PointType.UINT16, 51, "Wh");
        b.slow().scaled("WChaRteMax", 2, PointType.UINT16, 52, "W");
        b.slow().scaled("WDisChaRteMax", 3, PointType.UINT16, 52, "W");
        b.scaled("SoC", 9, PointType.UINT16, 54, "%");
        b.scaled("W", 45, PointType.INT16, 61, "W");
        return b.build("SunSpec battery 802");
    }

    private static void requireModel(SunSpecModel model, int id, int minLength) {
        if (model.id() != id) {
            throw new IllegalArgumentException("expected model " + id + ", got " + model);
        }
        requireLength(model, minLength);
    }

    private static void requireLength(SunSpecModel model, int minLength) {
        if (model.length() < minLength) {
            throw new IllegalArgumentException("model " + model.id() + " has length " + model.length()
                    + ", its layout needs " + minLength);
        }
    }

    /** Builds points; {@link #slow()} and {@link #writable(boolean)} apply to the next point only. */
    private static final class Builder {
        private final SunSpecModel model;
        private final List<Point> points = new ArrayList<>();
        private PollClass nextPoll = PollClass.FAST;
        private Access nextAccess = Access.READ;
        private boolean nextVerify;

        Builder(SunSpecModel model) {
            this.model = model;
        }

        Builder slow() {
            nextPoll = PollClass.SLOW;
            return this;
        }

        /** Written with the setpoints, never polled. */
        Builder writeOnly() {
            nextAccess = Access.WRITE;
            nextVerify = false;
            return this;
        }

        Builder writable(boolean verify) {
            nextAccess = Access.READ_WRITE;
            nextVerify = verify;
            return this;
        }

        void scaled(String name, int offset, PointType type, int sfOffset, String unit) {
            add(Point.of(name, RegisterType.HOLDING, model.address(offset), type)
                    .withScaleFactorAt(model.address(sfOffset)).withUnit(unit));
        }

        void plain(String name, int offset, PointType type, String unit) {
            add(Point.of(name, RegisterType.HOLDING, model.address(offset), type).withUnit(unit));
        }

        private void add(Point p) {
            points.add(p.withPoll(nextPoll).withAccess(nextAccess, nextVerify));
            nextPoll = PollClass.FAST;
            nextAccess = Access.READ;
            nextVerify = false;
        }

        RegisterMap build(String name) {
            return new RegisterMap(name, points);
        }
    }
}

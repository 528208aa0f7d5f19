package org.fusebox.driver.modbus.sunspec;

import java.util.ArrayList;
import java.util.List;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.PointType;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.map.RegisterType;

/**
 * Register maps for the SunSpec models this driver understands, placed at the address where discovery
 * found the model. Offsets are from the SunSpec information model tables (int + scale factor variants).
 * The point names are the SunSpec point names, so they can be looked up in the specification.
 */
public final class SunSpecPoints {

    public static final int METER_WYE = 203;
    public static final int INVERTER_THREE_PHASE = 103;

    private SunSpecPoints() {
    }

    /** Model 203, three-phase wye-connect meter: currents, voltages, frequency, power and energy. */
    public static RegisterMap meter203(SunSpecModel model) {
        requireModel(model, METER_WYE, 105);
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
        b.scaled("TotWhExp", 36, PointType.UINT32, 52, "Wh");
        b.scaled("TotWhImp", 44, PointType.UINT32, 52, "Wh");
        return b.build("SunSpec meter 203");
    }

    /** Model 103, three-phase inverter: AC current, voltages, power, frequency, energy, DC power. */
    public static RegisterMap inverter103(SunSpecModel model) {
        requireModel(model, INVERTER_THREE_PHASE, 50);
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
        b.scaled("WH", 22, PointType.UINT32, 24, "Wh");
        b.scaled("DCW", 29, PointType.INT16, 30, "W");
        b.plain("St", 38, PointType.UINT16);
        return b.build("SunSpec inverter 103");
    }

    private static void requireModel(SunSpecModel model, int id, int minLength) {
        if (model.id() != id || model.length() < minLength) {
            throw new IllegalArgumentException("expected model " + id + " of length >= " + minLength + ", got "
                    + model);
        }
    }

    private static final class Builder {
        private final SunSpecModel model;
        private final List<Point> points = new ArrayList<>();

        Builder(SunSpecModel model) {
            this.model = model;
        }

        void scaled(String name, int offset, PointType type, int sfOffset, String unit) {
            points.add(Point.of(name, RegisterType.HOLDING, model.address(offset), type)
                    .withScaleFactorAt(model.address(sfOffset)).withUnit(unit));
        }

        void plain(String name, int offset, PointType type) {
            points.add(Point.of(name, RegisterType.HOLDING, model.address(offset), type));
        }

        RegisterMap build(String name) {
            return new RegisterMap(name, points);
        }
    }
}

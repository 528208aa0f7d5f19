package org.fusebox.rest.view;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.function.ToDoubleFunction;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/**
 * Writes every quantity as an object whose only key names its unit, e.g. {@code {"watts": 1234.5}}, so a
 * reader never has to guess whether a number is W or kW. Values are rounded to three decimals and written
 * in plain notation: the arithmetic behind them leaves binary noise (7359.999999999), and a meter register
 * would otherwise come out as 1.23456E7.
 *
 * <p>Written by hand rather than left to Jackson's record support, so that a new accessor in an api
 * record (such as {@code Power.isPositive()}) cannot silently change the wire format.
 */
final class UnitsModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    UnitsModule() {
        super("fusebox-units");
        addSerializer(quantity(Power.class, "watts", Power::watts));
        addSerializer(quantity(Current.class, "amps", Current::amps));
        addSerializer(quantity(Energy.class, "wattHours", Energy::wattHours));
        addSerializer(quantity(Voltage.class, "volts", Voltage::volts));
        addSerializer(quantity(Percent.class, "percent", Percent::value));
        addSerializer(quantity(Duration.class, "millis", UnitsModule::millis));
        addSerializer(new PhaseCurrentsSerializer());
    }

    /** Three decimals, no trailing zeros, never scientific notation: {@code 12345600}, {@code 31.25}. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static double millis(Duration d) {
        // seconds and nanos separately: toNanos() overflows for long durations
        return d.getSeconds() * 1000.0 + d.getNano() / 1_000_000.0;
    }

    private static <T> StdSerializer<T> quantity(Class<T> type, String unit, ToDoubleFunction<T> value) {
        return new StdSerializer<>(type) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(T quantity, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeFieldName(unit);
                gen.writeNumber(plain(value.applyAsDouble(quantity)));
                gen.writeEndObject();
            }
        };
    }

    /** {@code {"l1": {"amps": ..}, "l2": {"amps": ..}, "l3": {"amps": ..}}}. */
    private static final class PhaseCurrentsSerializer extends StdSerializer<PhaseCurrents> {
        private static final long serialVersionUID = 1L;

        PhaseCurrentsSerializer() {
            super(PhaseCurrents.class);
        }

        @Override
        public void serialize(PhaseCurrents currents, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            writeAmps(gen, "l1", currents.l1());
            writeAmps(gen, "l2", currents.l2());
            writeAmps(gen, "l3", currents.l3());
            gen.writeEndObject();
        }

        private static void writeAmps(JsonGenerator gen, String field, Current current) throws IOException {
            gen.writeObjectFieldStart(field);
            gen.writeFieldName("amps");
            gen.writeNumber(plain(current.amps()));
            gen.writeEndObject();
        }
    }
}

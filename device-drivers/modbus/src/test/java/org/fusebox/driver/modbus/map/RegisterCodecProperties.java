package org.fusebox.driver.modbus.map;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Properties run by the jqwik engine; kept apart from the JUnit tests so each engine reports its own class. */
class RegisterCodecProperties {

    private static long raw(PointType type, WordOrder order, int... words) {
        return RegisterCodec.decodeRaw(type, order, words).orElseThrow();
    }

    @Property
    void int32RoundTripsInBothOrders(@ForAll int value, @ForAll WordOrder order) {
        if (value == Integer.MIN_VALUE) {
            return; // the sentinel
        }
        int[] words = RegisterCodec.encode(PointType.INT32, order, value);
        assertThat(raw(PointType.INT32, order, words)).isEqualTo(value);
    }

    @Property
    void int16RoundTrips(@ForAll @IntRange(min = -32767, max = 32767) int value) {
        int[] words = RegisterCodec.encode(PointType.INT16, WordOrder.BIG, value);
        assertThat(words[0]).isBetween(0, 0xFFFF);
        assertThat(raw(PointType.INT16, WordOrder.BIG, words)).isEqualTo(value);
    }

    @Property
    void uint32RoundTrips(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFEL) long value, @ForAll WordOrder order) {
        assertThat(raw(PointType.UINT32, order, RegisterCodec.encode(PointType.UINT32, order, value))).isEqualTo(value);
    }

    @Property
    void int64RoundTrips(@ForAll @LongRange(min = -(1L << 52), max = 1L << 52) long value, @ForAll WordOrder order) {
        // doubles hold integers exactly up to 2^53, which bounds what encode can take
        assertThat(raw(PointType.INT64, order, RegisterCodec.encode(PointType.INT64, order, value))).isEqualTo(value);
    }

    @Property
    void float32RoundTrips(@ForAll float value, @ForAll WordOrder order) {
        if (Float.isNaN(value)) {
            return;
        }
        int[] words = RegisterCodec.encode(PointType.FLOAT32, order, value);
        assertThat(RegisterCodec.decodeUnscaled(PointType.FLOAT32, order, words)).hasValue((double) value);
    }
}

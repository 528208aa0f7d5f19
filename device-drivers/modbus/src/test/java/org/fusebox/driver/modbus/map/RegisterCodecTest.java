package org.fusebox.driver.modbus.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegisterCodecTest {

    private static long raw(PointType type, WordOrder order, int... words) {
        return RegisterCodec.decodeRaw(type, order, words).orElseThrow();
    }

    @Test
    void int16IsSigned() {
        assertThat(raw(PointType.INT16, WordOrder.BIG, 0xFFFE)).isEqualTo(-2);
        assertThat(raw(PointType.INT16, WordOrder.BIG, 0x7FFF)).isEqualTo(32767);
    }

    @Test
    void uint16IsUnsigned() {
        assertThat(raw(PointType.UINT16, WordOrder.BIG, 0xFFFE)).isEqualTo(65534);
    }

    @Test
    void int32BigAndLittleWordOrder() {
        assertThat(raw(PointType.INT32, WordOrder.BIG, 0xFFFF, 0xFFFE)).isEqualTo(-2);
        assertThat(raw(PointType.INT32, WordOrder.LITTLE, 0xFFFE, 0xFFFF)).isEqualTo(-2);
        assertThat(raw(PointType.INT32, WordOrder.BIG, 0x0001, 0x0002)).isEqualTo(0x0001_0002);
        assertThat(raw(PointType.INT32, WordOrder.LITTLE, 0x0001, 0x0002)).isEqualTo(0x0002_0001);
    }

    @Test
    void uint32AboveIntRange() {
        assertThat(raw(PointType.UINT32, WordOrder.BIG, 0xFFFF, 0xFFFE)).isEqualTo(0xFFFF_FFFEL);
    }

    @Test
    void int64BothOrders() {
        assertThat(raw(PointType.INT64, WordOrder.BIG, 0x0001, 0x0002, 0x0003, 0x0004)).isEqualTo(0x0001_0002_0003_0004L);
        assertThat(raw(PointType.INT64, WordOrder.LITTLE, 0x0004, 0x0003, 0x0002, 0x0001))
                .isEqualTo(0x0001_0002_0003_0004L);
        assertThat(raw(PointType.INT64, WordOrder.BIG, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF)).isEqualTo(-1);
    }

    @Test
    void float32BothOrders() {
        // 230.5f = 0x43668000
        assertThat(RegisterCodec.decodeUnscaled(PointType.FLOAT32, WordOrder.BIG, new int[] {0x4366, 0x8000}))
                .hasValue(230.5);
        assertThat(RegisterCodec.decodeUnscaled(PointType.FLOAT32, WordOrder.LITTLE, new int[] {0x8000, 0x4366}))
                .hasValue(230.5);
    }

    @Test
    void sunSpecSentinelsMeanNoValue() {
        assertThat(RegisterCodec.decodeRaw(PointType.INT16, WordOrder.BIG, new int[] {0x8000})).isEmpty();
        assertThat(RegisterCodec.decodeRaw(PointType.UINT16, WordOrder.BIG, new int[] {0xFFFF})).isEmpty();
        assertThat(RegisterCodec.decodeRaw(PointType.INT32, WordOrder.BIG, new int[] {0x8000, 0x0000})).isEmpty();
        assertThat(RegisterCodec.decodeRaw(PointType.UINT32, WordOrder.BIG, new int[] {0xFFFF, 0xFFFF})).isEmpty();
        assertThat(RegisterCodec.decodeRaw(PointType.INT64, WordOrder.BIG, new int[] {0x8000, 0, 0, 0})).isEmpty();
        assertThat(RegisterCodec.decodeUnscaled(PointType.FLOAT32, WordOrder.BIG, new int[] {0x7FC0, 0x0000}))
                .isEmpty();
        // the sentinel is defined on the value, so a little-endian int32 has it in the second word
        assertThat(RegisterCodec.decodeRaw(PointType.INT32, WordOrder.LITTLE, new int[] {0x0000, 0x8000})).isEmpty();
    }

    @Test
    void neighboursOfSentinelsAreValues() {
        assertThat(raw(PointType.INT16, WordOrder.BIG, 0x8001)).isEqualTo(-32767);
        assertThat(raw(PointType.UINT16, WordOrder.BIG, 0xFFFE)).isEqualTo(65534);
    }

    @Test
    void scaleFactorRegister() {
        assertThat(RegisterCodec.decodeScaleFactor(0xFFFE)).hasValue(-2);
        assertThat(RegisterCodec.decodeScaleFactor(3)).hasValue(3);
        assertThat(RegisterCodec.decodeScaleFactor(0x8000)).isEmpty();
        assertThat(RegisterCodec.decodeScaleFactor(11)).isEmpty();
    }

    @Test
    void scalingByPowersOfTen() {
        assertThat(RegisterCodec.scale(2301, -1)).isEqualTo(230.1);
        assertThat(RegisterCodec.scale(12345, -2)).isEqualTo(123.45);
        assertThat(RegisterCodec.scale(15, 3)).isEqualTo(15000.0);
        assertThat(RegisterCodec.scale(7, 0)).isEqualTo(7.0);
    }

    @Test
    void wrongWordCountIsRejected() {
        assertThatThrownBy(() -> RegisterCodec.decodeRaw(PointType.INT32, WordOrder.BIG, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodingOutOfRangeIsRejected() {
        assertThatThrownBy(() -> RegisterCodec.encode(PointType.UINT16, WordOrder.BIG, -1))
                .hasMessageContaining("uint16");
        assertThatThrownBy(() -> RegisterCodec.encode(PointType.INT16, WordOrder.BIG, 40000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

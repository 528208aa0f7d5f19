package org.fusebox.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reasons are read by people: frame dumps in j2mod's messages become a byte count, numbers stay. */
class ReadableReasonTest {

    @Test
    void aSpacedHexDumpBecomesAByteCount() {
        assertThat(ModbusMasterDriver.readableReason(
                "Executing transaction 00 2A 00 00 00 06 01 03 9C 48 00 15 failed (tried 1 times)"))
                .isEqualTo("Executing transaction (12 bytes) failed (tried 1 times)");
    }

    @Test
    void aRunOfHexDigitsBecomesAByteCountButDecimalNumbersStay() {
        assertThat(ModbusMasterDriver.readableReason("bad frame 002a00000006010300ff0a1b and 429490177200 Wh"))
                .isEqualTo("bad frame (12 bytes) and 429490177200 Wh");
        assertThat(ModbusMasterDriver.readableReason("read 21 holding registers at 40072"))
                .isEqualTo("read 21 holding registers at 40072");
    }
}

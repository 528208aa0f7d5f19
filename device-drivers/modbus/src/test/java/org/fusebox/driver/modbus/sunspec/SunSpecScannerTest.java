package org.fusebox.driver.modbus.sunspec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.tcp.LoopbackModbusServer;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.tcp.ModbusTcpSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Discovery against j2mod's slave serving SunSpec images built here, register by register. */
@Timeout(30)
class SunSpecScannerTest {

    private LoopbackModbusServer server;
    private ModbusMasterDriver driver;

    private ModbusMasterDriver serve(int holdingRegisters) throws Exception {
        server = new LoopbackModbusServer(holdingRegisters, 0).start();
        driver = new ModbusMasterDriver("sunspec-device",
                ModbusTcpSettings.of("127.0.0.1", server.port(), LoopbackModbusServer.UNIT_ID).withTimeout(500));
        return driver;
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.disconnect();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Writes "SunS", model 1, an unknown model, a meter 203 and the end marker from base; returns 203's data address. */
    private int writeMeterImage(int base) {
        server.setHolding(base, 0x5375, 0x6E53);
        int at = base + 2;
        server.setHolding(at, 1, 66);
        server.setHolding(at + 2, ascii("Fusebox Test Works", 16));
        server.setHolding(at + 2 + 16, ascii("Meter-3", 16));
        server.setHolding(at + 2 + 40, ascii("1.2.3", 8));
        server.setHolding(at + 2 + 48, ascii("SN-0042", 16));
        at += 2 + 66;
        server.setHolding(at, 64999, 10); // a vendor model we do not know: skipped by its length
        at += 2 + 10;
        server.setHolding(at, 203, 105);
        int meter = at + 2;
        server.setHolding(meter, 1523);           // A = 15.23 A with A_SF -2
        server.setHolding(meter + 4, 0xFFFE);     // A_SF = -2
        server.setHolding(meter + 6, 2304);       // PhVphA = 230.4 V with V_SF -1
        server.setHolding(meter + 13, 0xFFFF);    // V_SF = -1
        server.setHolding(meter + 16, 0xFB2E);    // W = -1234 -> -12340 W with W_SF 1
        server.setHolding(meter + 18, 0x8000);    // WphB not implemented
        server.setHolding(meter + 20, 1);         // W_SF = 1
        server.setHolding(meter + 44, 0x0001, 0x0000); // TotWhImp = 65536 Wh with TotWh_SF 0
        server.setHolding(meter + 52, 0);
        at = meter + 105;
        server.setHolding(at, 0xFFFF, 0);
        return meter;
    }

    private static int[] ascii(String s, int registers) {
        int[] words = new int[registers];
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            words[i / 2] |= (bytes[i] & 0xFF) << (i % 2 == 0 ? 8 : 0);
        }
        return words;
    }

    @Test
    void walksTheChainAndDecodesCommonAndMeterModels() throws Exception {
        serve(40400);
        int meterAddress = writeMeterImage(40000);

        SunSpecScan scan = new SunSpecScanner(driver).scan();

        assertThat(scan.complete()).isTrue();
        assertThat(scan.baseAddress()).isEqualTo(40000);
        assertThat(scan.models()).extracting(SunSpecModel::id).containsExactly(1, 64999, 203);
        SunSpecModel meter = scan.model(203).orElseThrow();
        assertThat(meter.dataAddress()).isEqualTo(meterAddress);

        SunSpecCommon common = SunSpecCommon.read(driver, scan.model(1).orElseThrow());
        assertThat(common).isEqualTo(new SunSpecCommon("Fusebox Test Works", "Meter-3", "1.2.3", "SN-0042"));

        RegisterMap map = SunSpecPoints.meter203(meter);
        List<ChannelRecord> records = driver.prepareRead(
                map.points().stream().map(PointChannels::toChannel).toList()).execute();
        assertThat(value(records, "A")).isEqualTo(15.23);
        assertThat(value(records, "PhVphA")).isEqualTo(230.4);
        assertThat(value(records, "W")).isEqualTo(-12340.0);
        assertThat(value(records, "TotWhImp")).isEqualTo(65536.0);
        assertThat(record(records, "WphB").error()).contains("not implemented");
    }

    @Test
    void findsTheMarkerAtZeroWhenTheHigherBasesAreNotMapped() throws Exception {
        serve(300);
        writeMeterImage(0);
        SunSpecScan scan = new SunSpecScanner(driver).scan();
        assertThat(scan.baseAddress()).isZero();
        assertThat(scan.models()).extracting(SunSpecModel::id).containsExactly(1, 64999, 203);
    }

    @Test
    void noMarkerIsReported() throws Exception {
        serve(300);
        SunSpecScan scan = new SunSpecScanner(driver).scan();
        assertThat(scan.found()).isFalse();
        assertThat(scan.problem()).contains("no SunSpec marker");
    }

    @Test
    void aLengthPointingOutsideTheImageIsReportedWithTheModelsBeforeIt() throws Exception {
        serve(40400);
        server.setHolding(40000, 0x5375, 0x6E53);
        server.setHolding(40002, 1, 66);
        server.setHolding(40070, 203, 400); // runs past the 40400 registers the device has
        long started = System.nanoTime();

        SunSpecScan scan = new SunSpecScanner(driver).scan();

        assertThat(scan.complete()).isFalse();
        assertThat(scan.models()).extracting(SunSpecModel::id).containsExactly(1, 203);
        assertThat(scan.problem()).contains("broken at register 40472").contains("illegal data address");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aLengthLandingOnZerosIsReportedNotWalkedThrough() throws Exception {
        serve(40400);
        server.setHolding(40000, 0x5375, 0x6E53);
        server.setHolding(40002, 1, 66);
        server.setHolding(40070, 203, 100); // too short: the next header lands on zeros inside the image
        SunSpecScan scan = new SunSpecScanner(driver).scan();
        assertThat(scan.models()).extracting(SunSpecModel::id).containsExactly(1, 203);
        assertThat(scan.problem()).contains("model id 0");
    }

    @Test
    void aLengthPastTheRegisterSpaceIsReportedWithoutReadingThere() throws Exception {
        serve(40100);
        server.setHolding(40000, 0x5375, 0x6E53);
        server.setHolding(40002, 1, 0xFFF0);
        SunSpecScan scan = new SunSpecScanner(driver).scan();
        assertThat(scan.models()).isEmpty();
        assertThat(scan.problem()).contains("past register 65535");
    }

    private static ChannelRecord record(List<ChannelRecord> records, String name) {
        return records.stream().filter(r -> r.channel().name().equals(name)).findFirst().orElseThrow();
    }

    private static double value(List<ChannelRecord> records, String name) {
        return record(records, name).value().asDouble();
    }
}

package org.fusebox.driver.modbus.sunspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.driver.modbus.PlannedRead;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.RegisterReader;
import org.fusebox.driver.modbus.map.Access;
import org.fusebox.driver.modbus.map.PollClass;
import org.fusebox.driver.modbus.map.ReadPlanner;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.peer.SunSpecImage;
import org.junit.jupiter.api.Test;

/**
 * The SunSpec layouts decoded from an in-memory image: integer models with their scale factors, float
 * models, and the "not implemented" values of each type.
 */
class SunSpecModelsTest {

    private final int[] registers = new int[65536];
    private final RegisterReader reader = (type, address, count) -> {
        int[] words = new int[count];
        System.arraycopy(registers, address, words, 0, count);
        return words;
    };

    private Map<String, ChannelRecord> read(RegisterMap map) throws Exception {
        PlannedRead plan = new PlannedRead(map.points().stream().map(PointChannels::toChannel).toList(),
                ReadPlanner.defaults(), Clock.systemUTC());
        return plan.execute(reader).stream().collect(Collectors.toMap(r -> r.channel().name(), Function.identity()));
    }

    private SunSpecModel placed(SunSpecImage image, int id, int length) {
        image.writeTo((address, words) -> System.arraycopy(words, 0, registers, address, words.length));
        return new SunSpecModel(id, length, image.dataAddress(id));
    }

    @Test
    void floatInverterModelsDecodeAndNanMeansNotImplemented() throws Exception {
        for (int id : List.of(111, 112, 113)) {
            SunSpecImage image = new SunSpecImage(40000).model(id, 60)
                    .setFloat(id, 20, 4321.5f).setFloat(id, 30, 98765f).setFloat(id, 22, Float.NaN);
            Map<String, ChannelRecord> r = read(SunSpecPoints.inverter(placed(image, id, 60)));
            assertThat(r.get("W").value().asDouble()).isEqualTo(4321.5);
            assertThat(r.get("WH").value().asDouble()).isEqualTo(98765.0);
            assertThat(r.get("Hz").error()).contains("not implemented");
        }
    }

    @Test
    void integerInverterModelsShareOneLayout() throws Exception {
        for (int id : List.of(101, 102, 103)) {
            SunSpecImage image = new SunSpecImage(0).model(id, 50)
                    .set(id, 12, -1200 & 0xFFFF, 1).setUint32(id, 22, 7_000).set(id, 24, 3).set(id, 36, 4);
            Map<String, ChannelRecord> r = read(SunSpecPoints.inverter(placed(image, id, 50)));
            assertThat(r.get("W").value().asDouble()).isEqualTo(-12000.0);
            assertThat(r.get("WH").value().asDouble()).isEqualTo(7_000_000.0);
            assertThat(r.get("St").value().asDouble()).isEqualTo(4.0);
            assertThat(r.get("A").error()).contains("not implemented"); // uint16 0xFFFF
        }
    }

    @Test
    void meterModelsIntegerAndFloat() throws Exception {
        for (int id : List.of(201, 202, 203, 204)) {
            SunSpecImage image = new SunSpecImage(50000).model(id, 105)
                    .set(id, 16, 1500, 500, 0x8000, 1000).set(id, 20, 0).set(id, 1, 22).set(id, 4, 0x8000);
            Map<String, ChannelRecord> r = read(SunSpecPoints.meter(placed(image, id, 105)));
            assertThat(r.get("W").value().asDouble()).isEqualTo(1500.0);
            assertThat(r.get("WphB").error()).contains("not implemented"); // int16 0x8000
            assertThat(r.get("AphA").error()).contains("scale factor").contains("not implemented");
        }
        for (int id : List.of(211, 212, 213, 214)) {
            SunSpecImage image = new SunSpecImage(40000).model(id, 124)
                    .setFloat(id, 26, -2500f).setFloat(id, 66, 1e6f).setFloat(id, 58, 2.5e5f);
            Map<String, ChannelRecord> r = read(SunSpecPoints.meter(placed(image, id, 124)));
            assertThat(r.get("W").value().asDouble()).isEqualTo(-2500.0);
            assertThat(r.get("TotWhImp").value().asDouble()).isEqualTo(1e6);
            assertThat(r.get("TotWhExp").value().asDouble()).isEqualTo(2.5e5);
        }
    }

    @Test
    void storageAndBatteryModels() throws Exception {
        SunSpecImage image = new SunSpecImage(40000).model(124, 24).model(802, 62)
                .set(124, 0, 500).set(124, 16, 1).set(124, 6, 801).set(124, 20, -1)
                .set(124, 3, 1).set(124, 10, 0, 2550).set(124, 23, -2)
                .set(802, 9, 455).set(802, 54, -1).set(802, 45, 0x8000).set(802, 61, 0)
                .set(802, 1, 13).set(802, 51, 0x8000);
        image.writeTo((address, words) -> System.arraycopy(words, 0, registers, address, words.length));
        Map<String, ChannelRecord> storage = read(SunSpecPoints.storage124(
                new SunSpecModel(124, 24, image.dataAddress(124))));
        assertThat(storage.get("WChaMax").value().asDouble()).isEqualTo(5000.0);
        assertThat(storage.get("ChaState").value().asDouble()).isCloseTo(80.1, within(1e-9));
        assertThat(storage.get("InWRte").value().asDouble()).isCloseTo(25.5, within(1e-9));
        Map<String, ChannelRecord> battery = read(SunSpecPoints.battery802(
                new SunSpecModel(802, 62, image.dataAddress(802))));
        assertThat(battery.get("SoC").value().asDouble()).isCloseTo(45.5, within(1e-9));
        assertThat(battery.get("W").error()).contains("not implemented");
        assertThat(battery.get("WHRtg").error()).contains("scale factor");

        RegisterMap map = SunSpecPoints.storage124(new SunSpecModel(124, 24, image.dataAddress(124)));
        assertThat(map.point("InWRte").orElseThrow().access()).isEqualTo(Access.READ_WRITE);
        assertThat(map.point("InWRte").orElseThrow().verify()).isTrue();
        assertThat(map.point("WChaMax").orElseThrow().poll()).isEqualTo(PollClass.SLOW);
    }

    @Test
    void aModelTooShortForItsLayoutIsRefused() {
        assertThatThrownBy(() -> SunSpecPoints.meter(new SunSpecModel(213, 100, 40004)))
                .hasMessageContaining("length 100").hasMessageContaining("124");
        assertThatThrownBy(() -> SunSpecPoints.inverter(new SunSpecModel(120, 26, 40004)))
                .hasMessageContaining("not a SunSpec inverter");
    }
}

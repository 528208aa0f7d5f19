package org.fusebox.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.TypedValue;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.PointType;
import org.fusebox.driver.modbus.map.ReadPlanner;
import org.fusebox.driver.modbus.map.RegisterType;
import org.fusebox.driver.modbus.sunspec.SunSpecModel;
import org.fusebox.driver.modbus.sunspec.SunSpecPoints;
import org.junit.jupiter.api.Test;

/** Decoding behind the wire, with a scripted register source. */
class PlannedReadTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static Channel channel(Point p) {
        return PointChannels.toChannel(p);
    }

    @Test
    void aShortReplyFailsItsChannelsWithTheReason() throws Exception {
        Channel c = channel(Point.of("x", RegisterType.HOLDING, 0, PointType.INT32));
        PlannedRead read = new PlannedRead(List.of(c), ReadPlanner.defaults(), CLOCK);
        List<ChannelRecord> records = read.execute((type, address, count) -> new int[count - 1]);
        assertThat(records.get(0).error()).contains("short reply");
    }

    @Test
    void aRefusedRequestFailsOnlyItsOwnChannelsAndEachRequestIsIssuedOnce() throws Exception {
        Channel near = channel(Point.of("near", RegisterType.HOLDING, 0, PointType.UINT16));
        Channel far = channel(Point.of("far", RegisterType.HOLDING, 1000, PointType.UINT16));
        List<Integer> asked = new ArrayList<>();
        PlannedRead read = new PlannedRead(List.of(near, far), ReadPlanner.defaults(), CLOCK);
        List<ChannelRecord> records = read.execute((type, address, count) -> {
            asked.add(address);
            if (address == 1000) {
                throw new ModbusReplyException(2, "device replied illegal data address");
            }
            return new int[] {5};
        });
        assertThat(asked).containsExactly(0, 1000);
        assertThat(records.get(0).value()).isEqualTo(TypedValue.of(5L));
        assertThat(records.get(1).error()).contains("illegal data address");
        assertThat(records.get(1).timestamp()).isEqualTo(CLOCK.instant());
    }

    @Test
    void aScaleFactorMarkedNotImplementedMeansNoValue() throws Exception {
        Channel w = channel(Point.of("W", RegisterType.HOLDING, 10, PointType.INT16).withScaleFactorAt(11));
        PlannedRead read = new PlannedRead(List.of(w), ReadPlanner.defaults(), CLOCK);
        assertThat(read.execute((type, address, count) -> new int[] {100, 0x8000}).get(0).error())
                .contains("scale factor");
        assertThat(read.execute((type, address, count) -> new int[] {100, 0xFFFD}).get(0).value().asDouble())
                .isEqualTo(0.1);
    }

    @Test
    void aFarScaleFactorIsReadInItsOwnRequestAndItsFailureIsNamed() throws Exception {
        Channel w = channel(Point.of("W", RegisterType.HOLDING, 10, PointType.INT16).withScaleFactorAt(500));
        PlannedRead read = new PlannedRead(List.of(w), new ReadPlanner(125, 0), CLOCK);
        assertThat(read.requests()).hasSize(2);
        ChannelRecord r = read.execute((type, address, count) -> {
            if (address == 500) {
                throw new ModbusReplyException(4, "server device failure");
            }
            return new int[] {1};
        }).get(0);
        assertThat(r.error()).startsWith("scale factor:").contains("server device failure");
    }

    @Test
    void inverter103PlanFitsOneRequest() {
        SunSpecModel inverter = new SunSpecModel(103, 50, 40072);
        List<Channel> channels = SunSpecPoints.inverter103(inverter).points().stream()
                .map(PointChannels::toChannel).toList();
        PlannedRead read = new PlannedRead(channels, ReadPlanner.defaults(), CLOCK);
        assertThat(read.requests()).hasSize(1);
        assertThat(read.requests().get(0).address()).isEqualTo(40072);
    }

    @Test
    void channelConfigRoundTripsAPoint() {
        Point p = Point.of("x", RegisterType.INPUT, 7, PointType.UINT32).withScaleFactorAt(9).withUnit("Wh");
        assertThat(PointChannels.toPoint(PointChannels.toChannel(p))).isEqualTo(p);
    }
}

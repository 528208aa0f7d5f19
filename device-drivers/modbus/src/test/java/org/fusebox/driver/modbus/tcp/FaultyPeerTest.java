package org.fusebox.driver.modbus.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.api.driver.TypedValue;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.PointType;
import org.fusebox.driver.modbus.map.RegisterType;
import org.fusebox.driver.modbus.peer.ScriptedModbusServer;
import org.fusebox.driver.modbus.peer.ScriptedModbusServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way a peer can misbehave ends as a state with a reason (a failed channel or a ConnectionException
 * naming the device), within a bound set by the timeout, and the next read after the peer behaves again
 * succeeds on a fresh connection.
 */
@Timeout(120)
class FaultyPeerTest {

    private static final int TIMEOUT_MILLIS = 500;
    /**
     * A broken exchange costs one timeout. The bound is generous for a loaded machine yet below what j2mod's
     * default of five tries with random sleeps between would take (over 2.5 s), so it catches a lost
     * retry setting.
     */
    private static final Duration BOUND = Duration.ofMillis(2400);

    private ScriptedModbusServer peer;
    private ModbusMasterDriver driver;
    private PreparedRead read;

    @BeforeEach
    void start() throws Exception {
        peer = new ScriptedModbusServer();
        peer.setHolding(10, 1234, 0x0001, 0x86A0);
        driver = new ModbusMasterDriver("faulty", ModbusTcpSettings.of("127.0.0.1", peer.port(), 1)
                .withTimeout(TIMEOUT_MILLIS));
        List<Channel> channels = List.of(
                PointChannels.toChannel(Point.of("a", RegisterType.HOLDING, 10, PointType.UINT16)),
                PointChannels.toChannel(Point.of("b", RegisterType.HOLDING, 11, PointType.UINT32)));
        read = driver.prepareRead(channels);
    }

    @AfterEach
    void stop() throws Exception {
        driver.disconnect();
        peer.close();
    }

    private void assertRecovers() throws Exception {
        peer.behave(Behaviour.NORMAL);
        List<ChannelRecord> records = assertTimeoutPreemptively(BOUND, () -> read.execute());
        assertThat(records).extracting(ChannelRecord::value)
                .containsExactly(TypedValue.of(1234L), TypedValue.of(100_000L));
    }

    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"SILENT", "CLOSE_MID_REQUEST", "GARBLED", "TRUNCATED"})
    void aBrokenExchangeDropsTheConnectionWithTheReasonWithinTheTimeout(Behaviour behaviour) throws Exception {
        assertRecovers();
        peer.behave(behaviour);

        assertThatThrownBy(() -> assertTimeoutPreemptively(BOUND, () -> read.execute()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("faulty")
                .hasMessageContaining("127.0.0.1:" + peer.port());
        assertThat(driver.connected()).isFalse();

        assertRecovers();
    }

    @Test
    void aWrongByteCountFailsTheChannelsOfThatRequestAsAShortReply() throws Exception {
        peer.behave(Behaviour.WRONG_BYTE_COUNT);
        List<ChannelRecord> records = assertTimeoutPreemptively(BOUND, () -> read.execute());
        assertThat(records).allSatisfy(r -> {
            assertThat(r.succeeded()).isFalse();
            assertThat(r.error()).contains("short reply", "2 of 3");
        });
        assertRecovers();
    }

    @Test
    void anExceptionReplyFailsOnlyTheChannelsAndKeepsTheConnection() throws Exception {
        assertRecovers();
        peer.behave(Behaviour.DEVICE_FAILURE);
        List<ChannelRecord> records = assertTimeoutPreemptively(BOUND, () -> read.execute());
        assertThat(records).allSatisfy(r -> assertThat(r.error()).contains("server device failure"));
        assertThat(driver.connected()).isTrue();
        assertRecovers();
    }
}

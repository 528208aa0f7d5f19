package org.fusebox.driver.modbus.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.List;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.RequestCounters;
import org.fusebox.driver.modbus.RequestCounters.Failure;
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
import org.junit.jupiter.params.provider.CsvSource;

/** Each way a real exchange on loopback fails is counted once, in its class, and the requests with it. */
@Timeout(60)
class RequestCountersTest {

    private ScriptedModbusServer peer;
    private RequestCounters counters;
    private ModbusMasterDriver driver;
    private PreparedRead read;

    @BeforeEach
    void start() throws Exception {
        peer = new ScriptedModbusServer();
        peer.setHolding(10, 1234, 0x0001, 0x86A0);
        counters = new RequestCounters();
        driver = new ModbusMasterDriver("counted", ModbusTcpSettings.of("127.0.0.1", peer.port(), 1).withTimeout(400),
                java.time.Clock.systemUTC(), counters);
        read = driver.prepareRead(List.of(
                PointChannels.toChannel(Point.of("a", RegisterType.HOLDING, 10, PointType.UINT16)),
                PointChannels.toChannel(Point.of("b", RegisterType.HOLDING, 11, PointType.UINT32))));
    }

    @AfterEach
    void stop() throws Exception {
        driver.disconnect();
        peer.close();
    }

    private long failures() {
        long n = 0;
        for (Failure f : Failure.values()) {
            n += counters.failures(f);
        }
        return n;
    }

    @ParameterizedTest
    @CsvSource({"SILENT, TIMEOUT", "TRUNCATED, TIMEOUT", "CLOSE_MID_REQUEST, CONNECTION", "GARBLED, CONNECTION",
            "WRONG_TRANSACTION_ID, MALFORMED", "WRONG_BYTE_COUNT, MALFORMED", "DEVICE_FAILURE, EXCEPTION_REPLY"})
    void aFailedRequestIsCountedInItsClass(Behaviour behaviour, Failure expected) throws Exception {
        assertThat(read.execute()).allMatch(ChannelRecord::succeeded);
        assertThat(counters.requests()).isEqualTo(1);
        assertThat(failures()).isZero();
        assertThat(counters.isConnected()).isTrue();

        peer.behave(behaviour);
        try {
            List<ChannelRecord> records = read.execute();
            assertThat(records).noneMatch(ChannelRecord::succeeded);
        } catch (ConnectionException dropped) {
            assertThat(counters.isConnected()).isFalse();
        }
        assertThat(counters.requests()).isEqualTo(2);
        assertThat(counters.failures(expected)).isEqualTo(1);
        assertThat(failures()).isEqualTo(1);

        peer.behave(Behaviour.NORMAL);
        assertThat(read.execute()).allMatch(ChannelRecord::succeeded);
        assertThat(counters.requests()).isEqualTo(3);
        assertThat(failures()).isEqualTo(1);
        // a request that dropped the connection costs a reconnect; an answered one does not
        assertThat(counters.reconnects()).isEqualTo(expected == Failure.EXCEPTION_REPLY || expected == Failure.MALFORMED
                && behaviour == Behaviour.WRONG_BYTE_COUNT ? 0 : 1);
    }

    @Test
    void aDeviceThatCannotBeReachedCountsConnectFailuresNotRequests() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RequestCounters nowhere = new RequestCounters();
        ModbusMasterDriver d = new ModbusMasterDriver("nowhere", ModbusTcpSettings.of("127.0.0.1", closedPort, 1)
                .withTimeout(300), java.time.Clock.systemUTC(), nowhere);
        PreparedRead r = d.prepareRead(List.of(PointChannels.toChannel(Point.of("a", RegisterType.HOLDING, 10,
                PointType.UINT16))));
        assertThatThrownBy(r::execute).isInstanceOf(ConnectionException.class);
        assertThatThrownBy(r::execute).isInstanceOf(ConnectionException.class);
        assertThat(nowhere.connectFailures()).isEqualTo(2);
        assertThat(nowhere.requests()).isZero();
        assertThat(nowhere.isConnected()).isFalse();
        assertThat(nowhere.lastPollSeconds()).isNaN();
    }
}

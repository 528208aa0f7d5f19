package org.fusebox.driver.modbus;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one device's requests came to, counted where they are made and read without a lock (a scrape must not
 * wait behind a request in progress). Outlives a reconnection and a changed configuration of the same device.
 */
public final class RequestCounters {

    /** Why a request failed, in classes an operator can act on. */
    public enum Failure {
        /** No (complete) answer within the timeout. */
        TIMEOUT,
        /** The device answered with a Modbus exception code: it is there, and refused. */
        EXCEPTION_REPLY,
        /** An answer that cannot be used: another transaction id, a wrong byte count, a bad CRC or frame. */
        MALFORMED,
        /** The connection failed under the request: closed, reset, or the stream ended mid-frame. */
        CONNECTION;

        /** The label value: {@code timeout}, {@code exception_reply}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Classifies j2mod's exception. j2mod says what happened only in its message (no cause is kept), so this
         * reads the message: a timeout is "... timed out" / "Timeout ...", a reply with another transaction id ends
         * the retries with a bare "Executing transaction failed", a serial frame may fail its CRC.
         */
        public static Failure of(ModbusException e) {
            if (e instanceof ModbusSlaveException) {
                return EXCEPTION_REPLY;
            }
            String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("timed out") || m.contains("timeout")) {
                return TIMEOUT;
            }
            if (!(e instanceof ModbusIOException) || m.contains("crc") || m.contains("not meant for us")
                    || m.matches(".*failed \\(tried \\d+ times\\) executing transaction failed.*")) {
                return MALFORMED;
            }
            return CONNECTION;
        }
    }

    private final LongAdder requests = new LongAdder();
    private final Map<Failure, LongAdder> failures = new EnumMap<>(Failure.class);
    private final LongAdder connects = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private volatile boolean connected;
    private volatile double lastPollSeconds = Double.NaN;

    public RequestCounters() {
        for (Failure f : Failure.values()) {
            failures.put(f, new LongAdder());
        }
    }

    void requested() {
        requests.increment();
    }

    void failed(Failure failure) {
        failures.get(failure).increment();
    }

    void connected() {
        connects.increment();
        connected = true;
    }

    void connectFailed() {
        connectFailures.increment();
        connected = false;
    }

    void disconnected() {
        connected = false;
    }

    /** How long the last poll took, successful or not. */
    public void polled(double seconds) {
        lastPollSeconds = seconds;
    }

    /** Requests sent: reads and writes, each once however it ended. */
    public long requests() {
        return requests.sum();
    }

    public long failures(Failure failure) {
        return failures.get(failure).sum();
    }

    /** Connections made after the first one. */
    public long reconnects() {
        return Math.max(0, connects.sum() - 1);
    }

    public long connectFailures() {
        return connectFailures.sum();
    }

    public boolean isConnected() {
        return connected;
    }

    /** NaN before the first poll. */
    public double lastPollSeconds() {
        return lastPollSeconds;
    }
}

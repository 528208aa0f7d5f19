package org.fusebox.driver.ocpp;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.fusebox.driver.ocpp.protocol.ErrorCode;

/**
 * What the central system has seen since it started, counted where it happens and read without a lock: a scrape
 * never waits for a connection thread. Lives as long as the engine, across reconfigurations.
 */
final class OcppCounters {

    private final LongAdder accepted = new LongAdder();
    /** By HTTP status; the server refuses with a handful of them (400, 401, 404, 409, 429, 500). */
    private final Map<Integer, LongAdder> refused = new ConcurrentHashMap<>();
    private final LongAdder framesReceived = new LongAdder();
    private final Map<ErrorCode, LongAdder> callErrorsSent = new EnumMap<>(ErrorCode.class);
    private final LongAdder callsSent = new LongAdder();
    private final LongAdder callsTimedOut = new LongAdder();

    OcppCounters() {
        for (ErrorCode code : ErrorCode.values()) {
            callErrorsSent.put(code, new LongAdder());
        }
    }

    void connectionAccepted() {
        accepted.increment();
    }

    void refused(int httpStatus) {
        refused.computeIfAbsent(httpStatus, s -> new LongAdder()).increment();
    }

    void frameReceived() {
        framesReceived.increment();
    }

    void callErrorSent(String errorCode) {
        try {
            callErrorsSent.get(ErrorCode.valueOf(errorCode)).increment();
        } catch (IllegalArgumentException notOurs) {
            // every CALLERROR this central system sends carries one of the codes of OCPP 1.6
        }
    }

    void callSent() {
        callsSent.increment();
    }

    void callTimedOut() {
        callsTimedOut.increment();
    }

    long accepted() {
        return accepted.sum();
    }

    /** Refusals by HTTP status, in order of status. */
    Map<Integer, Long> refused() {
        Map<Integer, Long> out = new TreeMap<>();
        refused.forEach((status, n) -> out.put(status, n.sum()));
        return out;
    }

    long framesReceived() {
        return framesReceived.sum();
    }

    /** CALLERRORs sent, by code; every code of OCPP 1.6 is there, at 0 until one is sent. */
    Map<ErrorCode, Long> callErrorsSent() {
        Map<ErrorCode, Long> out = new EnumMap<>(ErrorCode.class);
        callErrorsSent.forEach((code, n) -> out.put(code, n.sum()));
        return out;
    }

    long callsSent() {
        return callsSent.sum();
    }

    long callsTimedOut() {
        return callsTimedOut.sum();
    }
}

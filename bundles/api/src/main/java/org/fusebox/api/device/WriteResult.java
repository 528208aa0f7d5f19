package org.fusebox.api.device;

import java.util.Objects;

/**
 * What a device answered to a write.
 *
 * @param outcome the outcome
 * @param detail  the device's words, or why the write failed; empty when accepted
 */
public record WriteResult(Outcome outcome, String detail) {

    public enum Outcome {
        /** The device took the value. */
        ACCEPTED,
        /** The device answered and refused it. */
        REJECTED,
        /** No answer: timeout, lost connection, protocol error. */
        FAILED
    }

    public WriteResult {
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
    }

    public static WriteResult accepted() {
        return new WriteResult(Outcome.ACCEPTED, "");
    }

    public static WriteResult rejected(String detail) {
        return new WriteResult(Outcome.REJECTED, detail);
    }

    public static WriteResult failed(String detail) {
        return new WriteResult(Outcome.FAILED, detail);
    }

    public boolean isAccepted() {
        return outcome == Outcome.ACCEPTED;
    }
}

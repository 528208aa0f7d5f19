package org.fusebox.grid.openadr;

import java.time.Instant;
import java.util.List;
import org.fusebox.api.grid.GridSignal;

/**
 * The outcome of mapping one OpenADR event: its signals, or the reason it was refused (then no signal at
 * all: an event is never half-mapped), and notes for people (ignored payload types, a randomizeStart,
 * intervals without duration).
 *
 * @param eventId the event's id, or a placeholder when it has none
 * @param version identifies this version of the event (a changed event is a new version)
 * @param refusal why the event was refused, null when it was mapped
 * @param intervals the event's intervals in the order sent, with the times the mapping gave them (what a
 *                  report describes); empty when refused
 */
record MappedEvent(String eventId, String version, List<GridSignal> signals, String refusal, List<String> notes,
        List<Interval> intervals) {

    /**
     * One interval of the event as mapped.
     *
     * @param id    the interval's id
     * @param start when it starts
     * @param end   when it ends; equal to start for a zero duration, null when it never ends
     */
    record Interval(int id, Instant start, Instant end) {

        /** Whether it spans any time (a zero duration does not). */
        boolean hasSpan() {
            return end == null || end.isAfter(start);
        }
    }

    MappedEvent {
        signals = List.copyOf(signals);
        notes = List.copyOf(notes);
        intervals = List.copyOf(intervals);
    }

    static MappedEvent refused(String eventId, String version, String reason) {
        return new MappedEvent(eventId, version, List.of(), reason, List.of(), List.of());
    }

    boolean isRefused() {
        return refusal != null;
    }
}

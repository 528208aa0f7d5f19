package org.fusebox.grid.openadr;

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
 */
record MappedEvent(String eventId, String version, List<GridSignal> signals, String refusal, List<String> notes) {

    MappedEvent {
        signals = List.copyOf(signals);
        notes = List.copyOf(notes);
    }

    static MappedEvent refused(String eventId, String version, String reason) {
        return new MappedEvent(eventId, version, List.of(), reason, List.of());
    }

    boolean isRefused() {
        return refusal != null;
    }
}

package org.fusebox.api.grid;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service that hears the grid side (an OpenADR VEN, a DSO's interface, a ripple-control receiver) and
 * tells the core what is asked of the site. The core calls {@link #signals()} every control cycle, so it
 * must answer at once from memory (never wait on the network) and must not throw.
 * <p>
 * A source says the whole truth each time: the list holds every signal it knows that has not ended yet,
 * including future ones; a signal missing from the list is cancelled. The core applies the capacity
 * limits in force in its safety tier; a source that disappears leaves its last known limits in force
 * until they end, so a limit is never lifted by an upgrade or a crash.
 */
@ConsumerType
public interface GridSignalSource {

    /** A stable name for logs and health, unique among sources. */
    String id();

    /** Every signal known now that has not ended yet, future ones included. */
    List<GridSignal> signals();
}

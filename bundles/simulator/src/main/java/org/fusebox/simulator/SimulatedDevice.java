package org.fusebox.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.ReadingListener;
import org.fusebox.api.device.WriteResult;
import org.fusebox.simulator.model.SiteModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every simulated device shares: its id, status and reading listeners, and the path its writes take
 * to the model. Subclasses keep their latest reading in a volatile field, replaced after each step, so
 * {@code reading()} never blocks.
 */
abstract class SimulatedDevice implements Device {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDevice.class);

    private final String id;
    private final String displayName;
    private final CommandQueue commands;
    private final List<ReadingListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<ReadingListener> warnedListeners = ConcurrentHashMap.newKeySet();
    private volatile DeviceStatus status;

    SimulatedDevice(String id, String displayName, CommandQueue commands, Instant since) {
        this.id = id;
        this.displayName = displayName;
        this.commands = commands;
        this.status = DeviceStatus.online(since);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String displayName() {
        return displayName;
    }

    @Override
    public final DeviceStatus status() {
        return status;
    }

    @Override
    public final void addReadingListener(ReadingListener listener) {
        if (listener != null && !listeners.contains(listener)) {
            listeners.add(listener);
        }
    }

    @Override
    public final void removeReadingListener(ReadingListener listener) {
        listeners.remove(listener);
        warnedListeners.remove(listener);
    }

    /** Takes a new reading from the model. Called on the simulation thread after each step. */
    abstract void publish(SiteModel model);

    /** Tells the listeners; one that throws is reported once and never stops the others or the simulation. */
    final void notifyListeners() {
        for (ReadingListener l : listeners) {
            try {
                l.readingUpdated(this);
            } catch (RuntimeException | LinkageError e) {
                if (warnedListeners.add(l)) {
                    LOG.warn("Reading listener {} of {} failed (reported once): {}", l, id, e.toString());
                }
            }
        }
    }

    final CompletionStage<WriteResult> submit(String target, Consumer<SiteModel> command) {
        return commands.submit(target, command);
    }

    final void stopped(Instant at) {
        status = DeviceStatus.offline("the simulator stopped", at);
    }
}

package org.fusebox.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.fusebox.api.device.WriteResult;
import org.fusebox.simulator.model.SiteModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes from any thread, applied to the model on the simulation thread at the start of the next step.
 * Only the latest write per target is kept: a setpoint replaces the one before it, so the queue can never
 * grow beyond the number of targets however fast a controller writes. Targets are applied in the order
 * they were first written, so a protocol layer's commands under distinct targets keep their order.
 */
final class CommandQueue {

    private static final Logger LOG = LoggerFactory.getLogger(CommandQueue.class);

    private final Map<String, Consumer<SiteModel>> pending = new LinkedHashMap<>();
    private volatile boolean open = true;

    /**
     * @param target  what the write is for (device id, and connector), the key that later writes replace
     * @param command applied to the model on the simulation thread
     */
    CompletionStage<WriteResult> submit(String target, Consumer<SiteModel> command) {
        if (!open) {
            return CompletableFuture.completedFuture(WriteResult.failed("the simulator is stopped"));
        }
        synchronized (pending) {
            pending.put(target, command);
        }
        return CompletableFuture.completedFuture(WriteResult.accepted());
    }

    /** Applies and forgets every pending write. Called on the simulation thread only. */
    void applyTo(SiteModel model) {
        List<Map.Entry<String, Consumer<SiteModel>>> due;
        synchronized (pending) {
            due = new ArrayList<>(pending.size());
            pending.forEach((target, command) -> due.add(Map.entry(target, command)));
            pending.clear();
        }
        for (Map.Entry<String, Consumer<SiteModel>> entry : due) {
            String target = entry.getKey();
            Consumer<SiteModel> command = entry.getValue();
            try {
                command.accept(model);
            } catch (RuntimeException e) {
                LOG.warn("Write to {} not applied: {}", target, e.toString());
            }
        }
    }

    void close() {
        open = false;
        synchronized (pending) {
            pending.clear();
        }
    }
}

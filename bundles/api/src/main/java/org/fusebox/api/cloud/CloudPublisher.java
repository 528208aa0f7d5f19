package org.fusebox.api.cloud;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends messages upstream. A message accepted here is stored durably and sent when the link allows, in
 * priority order (within a priority, in the order it was accepted). Like every stored message, an accepted
 * one may later be pushed out by the store's capacity or age policy (never a {@link MessagePriority#LIFECYCLE}
 * one).
 */
@ProviderType
public interface CloudPublisher {

    /**
     * Stores the message and returns once it is durable (as {@link #publishAsync} completing), so one caller gets
     * at most one message per disk sync; producers of many messages should use {@link #publishAsync}.
     *
     * @return an id for the stored message
     * @throws CloudException when the message is refused (store full, link not configured or closed, disk error)
     */
    String publish(CloudMessage message) throws CloudException;

    /**
     * Accepts the message for storing without waiting for the disk; the stage tells when it is durable.
     *
     * <p>The stage completes with the message's id only once a sync (fsync) of the store that covers this message
     * has completed, so the message then survives a killed process and a power cut, as far as the disk honours
     * fsync. Messages accepted by one thread are sent, and their stages completed, in the order of the calls.
     * Many messages can wait for the same sync, which is what makes this faster than {@link #publish}.
     *
     * <p>The stage completes exceptionally with a {@link CloudException} when the message is refused: the store
     * is full and the capacity policy may not make room, the link has no valid configuration or is closed, the
     * message does not fit the store at all, or writing or syncing the store failed (the message may then still
     * be sent, but nothing promised it). Refusals known at once return an already completed stage.
     *
     * <p>This call never waits for the disk, the broker or the network, with one exception, back-pressure: when the
     * number of accepted but not yet durable messages reaches the implementation's bound, it blocks until a sync
     * makes room. The MQTT link's bound is 8,192 messages or 8 MiB of stored records, whichever comes first. A
     * thread interrupted while blocked there gets an exceptionally completed stage (message not accepted) and
     * keeps its interrupt status.
     *
     * <p>Stages complete on a thread of the implementation that does no disk work; keep dependent actions short or
     * use the {@code *Async} methods of {@link CompletionStage}.
     *
     * @param message the message; its payload must not change afterwards
     * @return completes with the id that {@link #publish} would have returned
     * @throws NullPointerException when the message is null
     */
    CompletionStage<String> publishAsync(CloudMessage message);

    boolean isConnected();
}

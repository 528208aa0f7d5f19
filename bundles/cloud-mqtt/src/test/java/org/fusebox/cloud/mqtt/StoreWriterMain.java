package org.fusebox.cloud.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;

/**
 * Run in a child JVM by {@link PowerCutTest}: appends messages forever from one or more threads (the second
 * argument, default 1), each printing {@code ACK <seq> <message number> <thread>} once {@link MessageStore#put}
 * has returned, i.e. once the message is acknowledged as stored. Message numbers come from one counter, so
 * the topic and payload of every message can be checked from its number alone.
 *
 * <p>With {@code async} as the third argument each thread calls {@link MessageStore#append} without waiting and
 * the line is printed when the future completes (on the store's completion thread, in order), i.e. once a
 * sync covering the message has completed.
 */
public final class StoreWriterMain {

    private StoreWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean async = args.length > 2 && args[2].equals("async");
        MessageStore store = new MessageStore(file, new MessageStore.Limits(10_000_000, 1L << 40, Duration.ZERO),
                Clock.systemUTC());
        System.out.println("OPEN");
        System.out.flush();
        AtomicLong numbers = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                try {
                    while (true) {
                        long i = numbers.getAndIncrement();
                        CloudMessage message = new CloudMessage("power/" + i, payload(i), 1, false, MessagePriority.EVENT);
                        if (async) {
                            store.append(message).thenAccept(m -> System.out.println("ACK " + m.seq() + " " + i + " " + thread));
                        } else {
                            StoredMessage m = store.put(message);
                            // one println per line keeps lines whole across threads
                            System.out.println("ACK " + m.seq() + " " + i + " " + thread);
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(2);
                }
            }, "writer-" + t).start();
        }
    }

    /** A payload whose content can be checked from its topic alone. */
    static byte[] payload(long i) {
        return ("message " + i + " ").repeat(1 + (int) (i % 20)).getBytes(StandardCharsets.UTF_8);
    }
}

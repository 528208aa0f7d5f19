package org.fusebox.cloud.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;

/**
 * Run in a child JVM by {@link PowerCutTest}: appends messages forever, printing each sequence number once
 * {@link MessageStore#put} has returned, i.e. once the message is acknowledged as stored.
 */
public final class StoreWriterMain {

    private StoreWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        MessageStore store = new MessageStore(file, new MessageStore.Limits(10_000_000, 1L << 40, Duration.ZERO),
                Clock.systemUTC());
        System.out.println("OPEN");
        System.out.flush();
        for (long i = 0;; i++) {
            StoredMessage m = store.put(new CloudMessage("power/" + i, payload(i), 1, false, MessagePriority.EVENT));
            System.out.println("ACK " + m.seq() + " " + i);
            System.out.flush();
        }
    }

    /** A payload whose content can be checked from its topic alone. */
    static byte[] payload(long i) {
        return ("message " + i + " ").repeat(1 + (int) (i % 20)).getBytes(StandardCharsets.UTF_8);
    }
}

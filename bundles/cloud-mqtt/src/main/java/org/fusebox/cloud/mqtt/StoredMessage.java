package org.fusebox.cloud.mqtt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;

/**
 * One message as kept in the {@link MessageStore}.
 *
 * @param seq        the store's sequence number, increasing in the order messages were accepted
 * @param enqueuedAt when it was accepted, epoch milliseconds
 */
record StoredMessage(long seq, long enqueuedAt, CloudMessage message) {

    private static final byte FORMAT = 1;

    MessagePriority priority() {
        return message.priority();
    }

    /** The bytes kept on disk: format, priority, qos, retain, time, topic, payload, then a CRC-32 of all of them. */
    byte[] encode() {
        byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
        byte[] payload = message.payload();
        ByteBuffer b = ByteBuffer.allocate(1 + 1 + 1 + 1 + 8 + 4 + topic.length + 4 + payload.length + 8);
        b.put(FORMAT).put((byte) message.priority().ordinal()).put((byte) message.qos()).put((byte) (message.retain() ? 1 : 0));
        b.putLong(enqueuedAt);
        b.putInt(topic.length).put(topic);
        b.putInt(payload.length).put(payload);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        return b.array();
    }

    /** @throws IllegalArgumentException when the bytes are not an intact record */
    static StoredMessage decode(long seq, byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            long expected = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
            if (crc.getValue() != expected) {
                throw new IllegalArgumentException("record " + seq + " fails its checksum");
            }
            if (b.get() != FORMAT) {
                throw new IllegalArgumentException("record " + seq + " has an unknown format");
            }
            MessagePriority priority = MessagePriority.values()[b.get()];
            int qos = b.get();
            boolean retain = b.get() == 1;
            long enqueuedAt = b.getLong();
            byte[] topic = new byte[b.getInt()];
            b.get(topic);
            byte[] payload = new byte[b.getInt()];
            b.get(payload);
            return new StoredMessage(seq, enqueuedAt,
                    new CloudMessage(new String(topic, StandardCharsets.UTF_8), payload, qos, retain, priority));
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("record ")) {
                throw iae;
            }
            throw new IllegalArgumentException("record " + seq + " is damaged: " + e, e);
        }
    }
}

package org.fusebox.api.cloud;

import java.util.Objects;

/**
 * A message to or from the cloud.
 *
 * @param topic    the topic below the gateway's own namespace, e.g. {@code telemetry/site}
 * @param payload  the bytes (JSON for Fusebox's own messages); not copied, do not change them
 * @param qos      MQTT quality of service, 0 or 1
 * @param retain   whether the broker keeps it for late subscribers
 * @param priority what survives when storage fills
 */
public record CloudMessage(String topic, byte[] payload, int qos, boolean retain, MessagePriority priority) {
    public CloudMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(priority, "priority");
        if (topic.isBlank() || topic.contains("#") || topic.contains("+")) {
            throw new IllegalArgumentException("topic must be a plain topic, got '" + topic + "'");
        }
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos must be 0 or 1, got " + qos);
        }
    }
}

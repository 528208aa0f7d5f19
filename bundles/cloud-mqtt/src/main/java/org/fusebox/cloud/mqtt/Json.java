package org.fusebox.cloud.mqtt;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.session.ChargingSession;

/** The JSON this link writes and reads. */
final class Json {

    static final ObjectMapper MAPPER = newMapper();

    private Json() {
    }

    private static ObjectMapper newMapper() {
        ObjectMapper m = new ObjectMapper();
        // registered by hand: ServiceLoader discovery does not cross OSGi bundles
        m.registerModule(new JavaTimeModule());
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        m.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        // records are written by their components; convenience is-methods (isPositive, isEmpty...) are noise
        m.setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);
        return m;
    }

    /** Birth and death: who, why, when, and which Fusebox bundles run. */
    static byte[] lifecycle(String clientId, String reason, Instant at, Map<String, String> bundleVersions) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("clientId", clientId);
        n.put("reason", reason);
        n.put("timestamp", at.toString());
        ObjectNode bundles = n.putObject("bundles");
        new TreeMap<>(bundleVersions).forEach(bundles::put);
        return bytes(n);
    }

    /** The latest control cycle: the site snapshot, and what the loop did with it. */
    static byte[] telemetry(CycleReport r) {
        return telemetry(r, List.of());
    }

    /**
     * The latest control cycle with each active charging session as the gateway metered it: energy and cost
     * so far ({@code cost} null while no price is known; {@code costComplete} false when some energy has none).
     */
    static byte[] telemetry(CycleReport r, List<ChargingSession> activeSessions) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("cycle", r.cycle());
        n.put("timestamp", r.snapshot().timestamp().toString());
        n.put("trigger", r.trigger());
        n.set("state", MAPPER.valueToTree(r.state()));
        n.set("site", MAPPER.valueToTree(r.snapshot()));
        n.set("interventions", MAPPER.valueToTree(r.interventions()));
        n.put("durationMicros", r.duration().toNanos() / 1000);
        ArrayNode sessions = n.putArray("sessions");
        for (ChargingSession s : activeSessions) {
            ObjectNode o = sessions.addObject();
            o.put("id", s.id());
            o.put("chargerId", s.chargerId());
            o.put("connectorId", s.connectorId());
            o.put("idTag", s.idTag());
            o.put("start", s.start().toString());
            o.put("energyWh", s.energy().wattHours());
            o.put("cost", s.cost() == null ? null : s.cost().amount().toPlainString());
            o.put("currency", s.cost() == null ? null : s.cost().currency().getCurrencyCode());
            o.put("costComplete", s.costComplete());
        }
        return bytes(n);
    }

    /** An EventAdmin event: its topic, when it was forwarded, and its properties as plain values. */
    static byte[] event(String topic, Instant at, Map<String, Object> properties) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("topic", topic);
        n.put("timestamp", at.toString());
        Map<String, Object> plain = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (!k.equals("event.topics")) {
                plain.put(k, plain(v));
            }
        });
        n.set("properties", MAPPER.valueToTree(plain));
        return bytes(n);
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v.getClass().isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                l.add(plain(Array.get(v, i)));
            }
            return l;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> l = new ArrayList<>();
            it.forEach(x -> l.add(plain(x)));
            return l;
        }
        return String.valueOf(v);
    }

    static byte[] reply(String requestId, CloudResponse r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("requestId", requestId);
        n.put("status", r.status());
        n.put("message", r.message());
        n.set("body", body(r.body()));
        return bytes(n);
    }

    static byte[] progress(String requestId, String step, int percent, String message, Instant at) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("requestId", requestId);
        n.put("step", step);
        n.put("percent", percent);
        n.put("message", message);
        n.put("timestamp", at.toString());
        return bytes(n);
    }

    /** A JSON body is embedded as it is; anything else as a string; nothing as null. */
    private static JsonNode body(byte[] body) {
        if (body.length == 0) {
            return MAPPER.nullNode();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return MAPPER.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}

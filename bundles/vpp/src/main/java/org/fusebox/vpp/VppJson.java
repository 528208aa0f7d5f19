package org.fusebox.vpp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.fusebox.vpp.FlexibilityCalculator.FlexSlot;

/** The JSON of the VPP-V1 application and of the published messages. */
final class VppJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DISPATCH_FIELDS = Set.of("id", "start", "end", "importTargetKw");

    private VppJson() {
    }

    /**
     * Reads {@code {"id": "...", "start": "2026-01-15T18:00:00Z", "end": "...", "importTargetKw": 12.5}}.
     *
     * @throws IllegalArgumentException naming every problem found
     */
    static Dispatch dispatch(byte[] body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("the body cannot be read: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with id, start, end and importTargetKw");
        }
        List<String> errors = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!DISPATCH_FIELDS.contains(f)) {
                errors.add("unknown field '" + f + "'");
            }
        }
        JsonNode id = n.get("id");
        if (id == null || !id.isTextual()) {
            errors.add("id must be a string");
        }
        Instant start = instant(n, "start", errors);
        Instant end = instant(n, "end", errors);
        JsonNode target = n.get("importTargetKw");
        if (target == null || !target.isNumber()) {
            errors.add("importTargetKw must be a number (kW)");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new Dispatch(id.asText(), start, end, target.asDouble());
    }

    private static Instant instant(JsonNode n, String field, List<String> errors) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            errors.add(field + " must be an ISO-8601 instant such as 2026-01-15T18:00:00Z");
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            errors.add(field + " '" + v.asText() + "' is not an ISO-8601 instant such as 2026-01-15T18:00:00Z");
            return null;
        }
    }

    static ObjectNode flexibility(FlexibilityCalculator c, VppSettings settings) {
        ObjectNode o = JSON.createObjectNode();
        o.put("computedAt", c.site().now().toString());
        o.put("slotMinutes", settings.slot().toMinutes());
        o.put("planningLimitKw", kw(c.site().planningLimitKw()));
        ArrayNode slots = o.putArray("slots");
        for (FlexSlot s : c.offer()) {
            ObjectNode n = slots.addObject();
            n.put("start", s.start().toString());
            n.put("end", s.end().toString());
            n.put("referenceKw", s.referenceKw());
            n.put("shedKw", s.shedKw());
            n.put("shedUntil", s.shedUntil().toString());
            n.put("shedMinutes", minutes(s.start(), s.shedUntil()));
            n.put("addKw", s.addKw());
            n.put("addUntil", s.addUntil().toString());
            n.put("addMinutes", minutes(s.start(), s.addUntil()));
        }
        return o;
    }

    static ObjectNode noFlexibility(String why, Instant now) {
        ObjectNode o = JSON.createObjectNode();
        o.put("computedAt", now.toString());
        o.put("unavailable", why);
        o.putArray("slots");
        return o;
    }

    static ObjectNode decision(Dispatch d, Decision r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", d.id());
        o.put("accepted", r.accepted());
        o.put("reason", r.reason());
        o.put("offeredShedKw", r.offeredShedKw());
        o.put("requiredShedKw", kw(r.requiredShedKw()));
        o.put("beyondOffer", r.beyondOffer());
        return o;
    }

    static ObjectNode report(EventReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id());
        o.put("start", r.start().toString());
        o.put("end", r.end().toString());
        o.put("endedAt", r.endedAt().toString());
        o.put("cancelled", r.cancelled());
        o.put("importTargetKw", r.importTargetKw());
        put(o, "baselineKw", r.baselineKw());
        o.put("baselineSamples", r.baselineSamples());
        put(o, "measuredKw", r.measuredKw());
        o.put("measuredSamples", r.measuredSamples());
        put(o, "deliveredKw", r.deliveredKw());
        put(o, "deliveredKwh", r.deliveredKwh());
        if (r.targetMet() == null) {
            o.putNull("targetMet");
        } else {
            o.put("targetMet", r.targetMet());
        }
        o.put("beyondOffer", r.beyondOffer());
        o.put("offeredShedKw", r.offeredShedKw());
        o.put("requiredShedKw", kw(r.requiredShedKw()));
        o.put("note", r.note());
        return o;
    }

    static ObjectNode reports(List<EventReport> reports) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray("reports");
        reports.forEach(r -> a.add(report(r)));
        return o;
    }

    static ObjectNode dispatches(List<Dispatch> dispatches) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray("dispatches");
        for (Dispatch d : dispatches) {
            ObjectNode n = a.addObject();
            n.put("id", d.id());
            n.put("start", d.start().toString());
            n.put("end", d.end().toString());
            n.put("importTargetKw", d.importTargetKw());
        }
        return o;
    }

    static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e); // a tree of plain values always writes
        }
    }

    private static void put(ObjectNode o, String key, Double v) {
        if (v == null) {
            o.putNull(key);
        } else {
            o.put(key, kw(v));
        }
    }

    /** To the watt, for people and for the VPP's books. */
    private static double kw(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static long minutes(Instant from, Instant to) {
        return Duration.between(from, to).toMinutes();
    }
}

package org.fusebox.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Method, path below {@code /fusebox/api/v1/history} and query parameters to status and JSON, without a container.
 * The JSON follows the site API's conventions: instants as ISO-8601 UTC strings, units named, values rounded to
 * three decimals, {@code null} for unknown.
 */
final class HistoryApi {

    static final String SERIES_PATH = "/series";

    private static final Logger LOG = LoggerFactory.getLogger(HistoryApi.class);

    /** A status, a JSON body and extra headers. */
    record Answer(int status, String body, Map<String, String> headers) {
    }

    private final HistoryService service;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    HistoryApi(HistoryService service) {
        this.service = service;
    }

    Answer handle(String requestMethod, String pathInfo, Map<String, String[]> parameters, Instant now) {
        String method = "HEAD".equals(requestMethod) ? "GET" : requestMethod;
        String path = pathInfo == null || pathInfo.equals("/") ? "" : pathInfo;
        if (!path.isEmpty() && !path.equals(SERIES_PATH)) {
            return error(404, "no such resource: /fusebox/api/v1/history" + path
                    + "; the history offers /fusebox/api/v1/history and /fusebox/api/v1/history/series", List.of());
        }
        if (!"GET".equals(method)) {
            return new Answer(405, json(errorNode("method " + method + " is not allowed on /fusebox/api/v1/history" + path
                    + ": it is read-only", List.of())), Map.of("Allow", "GET, HEAD"));
        }
        if (!service.available()) {
            return error(503, "the history store is not open; /fusebox/api/v1/health (component history) says why", List.of());
        }
        try {
            return path.isEmpty() ? query(parameters, now) : series();
        } catch (IOException | RuntimeException e) {
            LOG.error("GET /fusebox/api/v1/history{} failed", path, e);
            return error(500, "internal error; the gateway's log (data/log/karaf.log) has the details", List.of());
        }
    }

    private Answer query(Map<String, String[]> parameters, Instant now) throws IOException {
        HistoryQuery.Parsed parsed = HistoryQuery.parse(parameters, now, service.catalogue(), service.maxPoints());
        if (!parsed.ok()) {
            return error(400, "history request refused: " + String.join("; ", parsed.problems()), parsed.problems());
        }
        HistoryQuery q = parsed.query();
        HistoryStore.Points points = service.fetch(q);
        ObjectNode root = mapper.createObjectNode();
        root.put("from", Instant.ofEpochSecond(q.from()).toString());
        root.put("to", Instant.ofEpochSecond(q.to()).toString());
        root.put("resolution", q.resolution().label);
        root.putObject("step").put("seconds", q.resolution().seconds());
        root.put("consolidation", q.consolidation().name());
        ArrayNode stamps = root.putArray("timestamps");
        for (long t : points.timestamps()) {
            stamps.add(Instant.ofEpochSecond(t).toString());
        }
        ArrayNode series = root.putArray("series");
        Map<Integer, String> holders = holders();
        for (int i = 0; i < q.series().size(); i++) {
            Series s = q.series().get(i);
            ObjectNode node = describe(s, holders);
            ArrayNode values = node.putArray("values");
            for (double v : points.values()[i]) {
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    values.addNull();
                } else {
                    values.add(BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros());
                }
            }
            series.add(node);
        }
        return new Answer(200, json(root), Map.of());
    }

    private Answer series() {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("series");
        Map<Integer, String> holders = holders();
        for (Series s : service.catalogue().all()) {
            list.add(describe(s, holders));
        }
        ArrayNode resolutions = root.putArray("resolutions");
        for (Resolution r : Resolution.values()) {
            ObjectNode n = resolutions.addObject();
            n.put("resolution", r.label);
            n.putObject("step").put("seconds", r.seconds());
            n.putObject("span").put("seconds", r.span().getSeconds());
        }
        root.put("maxPoints", service.maxPoints());
        return new Answer(200, json(root), Map.of());
    }

    /** A series' name, unit and, for a charger slot, the charger holding it (null when none does yet). */
    private ObjectNode describe(Series s, Map<Integer, String> holders) {
        ObjectNode node = mapper.createObjectNode();
        node.put("name", s.name());
        node.put("unit", s.unit());
        if (s.name().startsWith(SeriesCatalogue.SLOT_PREFIX)) {
            int slot = Integer.parseInt(s.name().substring(SeriesCatalogue.SLOT_PREFIX.length(),
                    s.name().length() - SeriesCatalogue.SLOT_SUFFIX.length()));
            node.put("charger", holders.get(slot));
        } else {
            node.putNull("charger");
        }
        return node;
    }

    private Map<Integer, String> holders() {
        Map<Integer, String> bySlot = new java.util.HashMap<>();
        service.chargerSlots().forEach((id, slot) -> bySlot.put(slot, id));
        return bySlot;
    }

    private Answer error(int status, String message, List<String> problems) {
        return new Answer(status, json(errorNode(message, problems)), Map.of());
    }

    private ObjectNode errorNode(String message, List<String> problems) {
        ObjectNode n = mapper.createObjectNode();
        n.put("error", message);
        if (!problems.isEmpty()) {
            ArrayNode p = n.putArray("problems");
            problems.forEach(p::add);
        }
        return n;
    }

    private String json(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

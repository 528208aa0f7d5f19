package org.fusebox.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.units.Energy;

/**
 * Reads the body of {@code POST .../request}: {@code {"energyKwh": 20.5, "departure": "2026-11-24T06:00:00Z"}}.
 * Every problem is collected, so that a client can fix them all at once; nothing is half-read.
 */
final class ChargingRequestBody {

    static final String ENERGY = "energyKwh";
    static final String DEPARTURE = "departure";
    static final String EXAMPLE = "{\"" + ENERGY + "\": 20.5, \"" + DEPARTURE + "\": \"2026-11-24T06:00:00Z\"}";

    private static final Set<String> FIELDS = Set.of(ENERGY, DEPARTURE);

    /** Either the request or every reason there is none. */
    record Parsed(ChargingRequest request, List<String> problems) {
        Parsed {
            problems = List.copyOf(problems);
        }
    }

    private final ObjectReader reader;

    ChargingRequestBody(ObjectMapper mapper) {
        // A repeated key or text after the object is a client bug, not something to guess about.
        this.reader = mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * @param connector   the connector named by the path
     * @param body        the body as sent (UTF-8)
     * @param now         the site's now: the departure must be after it, and the request is stamped with it
     * @param limits      the bounds of energy and departure
     */
    Parsed parse(ConnectorRef connector, byte[] body, Instant now, RequestLimits limits) {
        List<String> problems = new ArrayList<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new Parsed(null, List.of("the body is empty; send " + EXAMPLE));
        }
        JsonNode json;
        try {
            json = reader.readTree(text);
        } catch (JsonProcessingException e) {
            return new Parsed(null, List.of("the body is not valid JSON: " + describe(e) + "; send " + EXAMPLE));
        }
        if (json == null || !json.isObject()) {
            return new Parsed(null, List.of("the body must be a JSON object such as " + EXAMPLE));
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add("unknown field \"" + name + "\": the body takes " + ENERGY + " and " + DEPARTURE);
            }
        }
        Energy energy = energy(json.get(ENERGY), limits, problems);
        Instant departure = departure(json.get(DEPARTURE), now, limits, problems);
        if (!problems.isEmpty()) {
            return new Parsed(null, problems);
        }
        return new Parsed(new ChargingRequest(connector, energy, departure, now), List.of());
    }

    private static Energy energy(JsonNode node, RequestLimits limits, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add(ENERGY + " is missing: the energy wanted, in kWh");
            return null;
        }
        if (!node.isNumber()) {
            problems.add(ENERGY + " must be a number of kWh, got " + node);
            return null;
        }
        double kwh = node.asDouble();
        if (!Double.isFinite(kwh)) {
            problems.add(ENERGY + " must be a finite number of kWh, got " + node.asText());
            return null;
        }
        if (kwh < limits.minEnergyKwh()) {
            // 1e-300 kWh would be stored as nothing at all: the EV then waits, uncharged, until departure
            problems.add(ENERGY + " must be at least " + plain(limits.minEnergyKwh()) + " kWh, got " + node.asText());
            return null;
        }
        if (kwh > limits.maxEnergyKwh()) {
            problems.add(ENERGY + " must be at most " + plain(limits.maxEnergyKwh()) + " kWh, got " + node.asText());
            return null;
        }
        return Energy.ofKilowattHours(kwh);
    }

    private static Instant departure(JsonNode node, Instant now, RequestLimits limits, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add(DEPARTURE + " is missing: when the driver leaves, e.g. \"2026-11-24T06:00:00Z\"");
            return null;
        }
        if (!node.isTextual()) {
            problems.add(DEPARTURE + " must be an ISO-8601 date and time with an offset, e.g. \"2026-11-24T06:00:00Z\", got " + node);
            return null;
        }
        Instant departure;
        try {
            // accepts "Z" and offsets such as "+01:00"; a time without an offset would be ambiguous
            departure = OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(DEPARTURE + " must be an ISO-8601 date and time with an offset, e.g. \"2026-11-24T06:00:00Z\", got " + node);
            return null;
        }
        if (!departure.isAfter(now)) {
            problems.add(DEPARTURE + " " + departure + " is not in the future (now is " + now + ")");
            return null;
        }
        if (departure.isAfter(now.plus(limits.horizon()))) {
            problems.add(DEPARTURE + " " + departure + " is more than " + limits.horizon().toHours() + " h ahead (now is " + now
                    + "); the horizon is maxDepartureHours of fusebox.rest");
            return null;
        }
        return departure;
    }

    /** 0.1 rather than 0.1000000000000000055511151231257827. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        // Jackson names the (redacted) source inside its messages, which tells a client nothing.
        String message = e.getOriginalMessage().replaceAll("\\s*\\([^()]*\\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*\\[Source:[^\\]]*\\]", "");
        return message + where;
    }
}

package org.fusebox.market.awattar;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;

/**
 * Reads {@code {"object":"list","data":[{"start_timestamp":ms,"end_timestamp":ms,"marketprice":n,"unit":"Eur/MWh"}]}}.
 * Each entry gives its own interval, so hourly and 15-minute days (and the 23/25-hour days of the clock
 * changes) need no calendar here. Refused whole, with the entry named: malformed or truncated JSON, an
 * entry without a number, another unit, an interval that is neither 15 nor 60 minutes or not aligned to
 * it, entries out of order or overlapping. A time without an entry stays unknown (never invented).
 */
final class AwattarParser {

    static final Currency EUR = Currency.getInstance("EUR");
    private static final Duration QUARTER = Duration.ofMinutes(15);
    private static final Duration HOUR = Duration.ofHours(1);

    private final ObjectMapper json = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The prices of {@code [from, to)} in the document; entries outside it are left out. */
    FetchResult parse(byte[] body, Instant from, Instant to) throws FeedException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            // the document ends early: a cut-off body that still arrived "complete"
            boolean cut = e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).contains("end-of-input");
            throw new FeedException((cut ? "truncated JSON: " : "malformed JSON: ") + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FeedException("unreadable JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new FeedException("expected a JSON object with \"data\", got " + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonNode object = root.get("object");
        if (object == null || !"list".equals(object.asText())) {
            throw new FeedException("expected \"object\":\"list\", got " + object);
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            throw new FeedException("\"data\" is missing or not an array");
        }
        List<PriceSlot> slots = new ArrayList<>(data.size());
        int outside = 0;
        int missing = 0;
        PriceSlot previous = null;
        for (int i = 0; i < data.size(); i++) {
            PriceSlot s = entry(data.get(i), "data[" + i + "]");
            if (previous != null) {
                if (s.start().isBefore(previous.end())) {
                    throw new FeedException("data[" + i + "] starts at " + s.start() + ", before the previous entry ends ("
                            + previous.end() + "): out of order or overlapping");
                }
                missing += (int) (Duration.between(previous.end(), s.start()).toMinutes() / s.length().toMinutes());
            }
            previous = s;
            if (s.end().isAfter(from) && s.start().isBefore(to)) {
                slots.add(s);
            } else {
                outside++;
            }
        }
        if (slots.isEmpty()) {
            return FetchResult.noData("no entries for the interval" + (outside > 0 ? " (" + outside + " outside it)" : ""));
        }
        List<String> notes = new ArrayList<>();
        if (missing > 0) {
            notes.add(missing + " slot(s) without an entry stay unknown");
        }
        if (outside > 0) {
            notes.add(outside + " entries outside the interval left out");
        }
        return FetchResult.prices(slots, String.join("; ", notes));
    }

    private static PriceSlot entry(JsonNode e, String where) throws FeedException {
        if (e == null || !e.isObject()) {
            throw new FeedException(where + " is not an object");
        }
        Instant start = millis(e, "start_timestamp", where);
        Instant end = millis(e, "end_timestamp", where);
        Duration length = Duration.between(start, end);
        if (!length.equals(QUARTER) && !length.equals(HOUR)) {
            throw new FeedException(where + ": interval " + start + "/" + end + " is " + length.toMinutes()
                    + " min, expected 15 or 60");
        }
        if (start.toEpochMilli() % length.toMillis() != 0) {
            throw new FeedException(where + ": " + start + " is not on a " + length.toMinutes() + "-minute boundary");
        }
        JsonNode unit = e.get("unit");
        if (unit == null || !unit.isTextual() || !unit.asText().trim().equalsIgnoreCase("Eur/MWh")) {
            throw new FeedException(where + ": unit " + unit + ", expected \"Eur/MWh\"");
        }
        JsonNode price = e.get("marketprice");
        if (price == null || !price.isNumber()) {
            throw new FeedException(where + ": marketprice " + price + " is not a number");
        }
        return new PriceSlot(start, length, new EnergyPrice(new Money(price.decimalValue(), EUR)));
    }

    private static Instant millis(JsonNode e, String field, String where) throws FeedException {
        JsonNode v = e.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new FeedException(where + ": " + field + " " + v + " is not epoch milliseconds");
        }
        return Instant.ofEpochMilli(v.longValue());
    }
}

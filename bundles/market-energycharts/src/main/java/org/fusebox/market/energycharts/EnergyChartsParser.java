package org.fusebox.market.energycharts;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;

/**
 * Reads {@code {"license_info":..,"unix_seconds":[..],"price":[..],"unit":"EUR / MWh","deprecated":false}}:
 * slot starts in epoch seconds, prices in the same order. The slot length is the document's resolution,
 * the most common step between starts (15 or 60 minutes; the steps of the clock-change days are the same
 * in UTC). A null price, or a step that skips slots, leaves those slots unknown. Refused whole: malformed
 * or truncated JSON, arrays of different lengths, a start not after the previous one or off the
 * resolution, a price that is not a number, a unit other than EUR per MWh (the API gives EUR for every zone).
 */
final class EnergyChartsParser {

    static final Currency EUR = Currency.getInstance("EUR");
    private static final Duration QUARTER = Duration.ofMinutes(15);
    private static final Duration HOUR = Duration.ofHours(1);

    private final ObjectMapper json = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The prices of {@code [from, to)} in the document; values outside it are left out. */
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
            throw new FeedException("expected a JSON object with unix_seconds and price, got "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonNode unit = root.get("unit");
        String normalised = unit == null || !unit.isTextual() ? "" : unit.asText().replaceAll("\\s", "").toUpperCase();
        if (!normalised.equals("EUR/MWH")) {
            throw new FeedException("unit " + unit + ", expected \"EUR / MWh\"");
        }
        JsonNode times = root.get("unix_seconds");
        JsonNode prices = root.get("price");
        if (times == null || !times.isArray() || prices == null || !prices.isArray()) {
            throw new FeedException("\"unix_seconds\" or \"price\" is missing or not an array");
        }
        if (times.size() != prices.size()) {
            throw new FeedException(times.size() + " times but " + prices.size() + " prices");
        }
        List<String> notes = new ArrayList<>();
        JsonNode deprecated = root.get("deprecated");
        if (deprecated != null && deprecated.asBoolean(false)) {
            notes.add("the API marks this endpoint deprecated");
        }
        if (times.isEmpty()) {
            return FetchResult.noData("no values" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
        }
        long[] starts = new long[times.size()];
        for (int i = 0; i < starts.length; i++) {
            JsonNode t = times.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToLong()) {
                throw new FeedException("unix_seconds[" + i + "] " + t + " is not epoch seconds");
            }
            starts[i] = t.longValue();
            if (i > 0 && starts[i] <= starts[i - 1]) {
                throw new FeedException("unix_seconds[" + i + "] (" + Instant.ofEpochSecond(starts[i])
                        + ") is not after the one before it");
            }
        }
        Duration step = resolution(starts);
        long stepSeconds = step.toSeconds();
        List<PriceSlot> slots = new ArrayList<>(starts.length);
        int nulls = 0;
        int skipped = 0;
        int outside = 0;
        for (int i = 0; i < starts.length; i++) {
            if (starts[i] % stepSeconds != 0) {
                throw new FeedException("unix_seconds[" + i + "] (" + Instant.ofEpochSecond(starts[i]) + ") is not on the "
                        + step.toMinutes() + "-minute resolution of the document");
            }
            if (i > 0) {
                skipped += (int) ((starts[i] - starts[i - 1]) / stepSeconds) - 1;
            }
            JsonNode p = prices.get(i);
            Instant start = Instant.ofEpochSecond(starts[i]);
            if (p.isNull()) {
                nulls++;
                continue;
            }
            if (!p.isNumber()) {
                throw new FeedException("price[" + i + "] " + p + " is not a number");
            }
            if (!start.plus(step).isAfter(from) || !start.isBefore(to)) {
                outside++;
                continue;
            }
            slots.add(new PriceSlot(start, step, new EnergyPrice(new Money(p.decimalValue(), EUR))));
        }
        if (nulls > 0) {
            notes.add(nulls + " null price(s) stay unknown");
        }
        if (skipped > 0) {
            notes.add(skipped + " slot(s) without a value stay unknown");
        }
        if (outside > 0) {
            notes.add(outside + " value(s) outside the interval left out");
        }
        if (slots.isEmpty()) {
            return FetchResult.noData("no prices for the interval" + (notes.isEmpty() ? "" : ": " + String.join("; ", notes)));
        }
        return FetchResult.prices(slots, String.join("; ", notes));
    }

    /** The most common step between starts; 15 or 60 minutes, else refused. */
    private static Duration resolution(long[] starts) throws FeedException {
        if (starts.length < 2) {
            throw new FeedException("a single value: its slot length (15 or 60 minutes) cannot be told");
        }
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 1; i < starts.length; i++) {
            counts.merge(starts[i] - starts[i - 1], 1, Integer::sum);
        }
        long mostCommon = counts.entrySet().stream().max(Map.Entry.<Long, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey((a, b) -> Long.compare(b, a)))).orElseThrow().getKey();
        Duration d = Duration.ofSeconds(mostCommon);
        if (!d.equals(QUARTER) && !d.equals(HOUR)) {
            throw new FeedException("the values are " + d.toMinutes() + " min apart, expected 15 or 60");
        }
        return d;
    }
}

package org.fusebox.market.nordpool;

import org.fusebox.market.support.FeedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * Reads the data portal's day-ahead answer for one delivery day: the day, currency and area must be the
 * ones asked for, the area's state Final or Preliminary, and the entries a gapless whole day (92, 96 or
 * 100 quarter hours, or 23-25 hours) with a price for the area in each. Prices are per MWh, kept exact.
 * Anything else is refused whole with its reason.
 */
final class NordpoolParser {

    private static final int MAX_TEXT = 120;
    /** The market time units the auction has used: hours until 30 Sep 2025, quarter hours since; 30 min for some areas. */
    private static final Set<Duration> MTUS = Set.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1));

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final String area;
    private final Currency currency;
    private final ZoneId marketZone;

    NordpoolParser(String area, Currency currency, ZoneId marketZone) {
        this.area = area;
        this.currency = currency;
        this.marketZone = marketZone;
    }

    NordpoolDay parse(byte[] body, LocalDate asked) throws FeedException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new FeedException(asked + ": malformed or truncated JSON: " + cut(e.getOriginalMessage()) + " at "
                    + (e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new FeedException(asked + ": unreadable body: " + cut(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new FeedException(asked + ": the body is not a JSON object");
        }
        String day = text(root, "deliveryDateCET");
        if (!asked.toString().equals(day)) {
            throw new FeedException(asked + ": the answer is for delivery day '" + cut(day) + "'");
        }
        String cur = text(root, "currency");
        if (!currency.getCurrencyCode().equals(cur)) {
            throw new FeedException(asked + ": prices are in '" + cut(cur) + "', asked for " + currency);
        }
        String market = text(root, "market");
        if (!market.isEmpty() && !"DayAhead".equals(market)) {
            throw new FeedException(asked + ": market is '" + cut(market) + "', not DayAhead");
        }
        boolean preliminary = stateOf(root, asked);
        List<PriceSlot> slots = entries(root.path("multiAreaEntries"), asked);
        return new NordpoolDay(asked, preliminary, cut(text(root, "updatedAt")), slots);
    }

    /** True when Preliminary, false when Final; anything else (or the area not named) is refused. */
    private boolean stateOf(JsonNode root, LocalDate asked) throws FeedException {
        JsonNode states = root.path("areaStates");
        if (!states.isArray()) {
            throw new FeedException(asked + ": no areaStates in the answer");
        }
        String found = null;
        for (JsonNode s : states) {
            for (JsonNode a : s.path("areas")) {
                if (area.equals(a.asText())) {
                    if (found != null) {
                        throw new FeedException(asked + ": area " + area + " has more than one state");
                    }
                    found = s.path("state").asText("");
                }
            }
        }
        if (found == null) {
            throw new FeedException(asked + ": area " + area + " has no state in areaStates (not published for it?)");
        }
        return switch (found) {
            case "Final" -> false;
            case "Preliminary" -> true;
            default -> throw new FeedException(asked + ": area " + area + " is in state '" + cut(found)
                    + "', neither Final nor Preliminary");
        };
    }

    private List<PriceSlot> entries(JsonNode entries, LocalDate asked) throws FeedException {
        if (!entries.isArray() || entries.isEmpty()) {
            throw new FeedException(asked + ": no multiAreaEntries");
        }
        Instant dayStart = asked.atStartOfDay(marketZone).toInstant();
        Instant dayEnd = asked.plusDays(1).atStartOfDay(marketZone).toInstant();
        List<PriceSlot> slots = new ArrayList<>(entries.size());
        Instant expected = dayStart;
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String where = asked + " entry " + i;
            Instant start = time(e, "deliveryStart", where);
            Instant end = time(e, "deliveryEnd", where);
            if (!start.equals(expected)) {
                String what = start.isAfter(expected) ? "missing slots from " + expected + " to " + start
                        : "entry starting at " + start + " overlaps or is out of order (expected " + expected + ")";
                throw new FeedException(where + ": " + what);
            }
            Duration length = Duration.between(start, end);
            if (!MTUS.contains(length)) {
                throw new FeedException(where + " (" + start + "): a slot of " + length.toMinutes()
                        + " min is not 15, 30 or 60 min");
            }
            JsonNode price = e.path("entryPerArea").path(area);
            if (!price.isNumber()) {
                throw new FeedException(where + " (" + start + "): no price for area " + area
                        + (price.isNull() ? " (null)" : ""));
            }
            slots.add(new PriceSlot(start, length, new EnergyPrice(new Money(price.decimalValue(), currency))));
            expected = end;
        }
        if (!expected.equals(dayEnd)) {
            long missing = Duration.between(expected, dayEnd).toMinutes();
            throw new FeedException(asked + ": entries end at " + expected + ", the delivery day ends at " + dayEnd
                    + (missing > 0 ? " (" + missing + " min missing)" : " (entries beyond the day)"));
        }
        return slots;
    }

    private static Instant time(JsonNode e, String field, String where) throws FeedException {
        String t = text(e, field);
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException ex) {
            throw new FeedException(where + ": " + field + " '" + cut(t) + "' is not a time with an offset");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    private static String cut(String s) {
        String one = s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= MAX_TEXT ? one : one.substring(0, MAX_TEXT) + "...";
    }
}

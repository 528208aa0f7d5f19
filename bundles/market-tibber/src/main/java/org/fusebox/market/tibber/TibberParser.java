package org.fusebox.market.tibber;

import org.fusebox.market.support.FeedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * Reads the answer to {@link TibberQuery}: chooses the home, checks that today (and tomorrow, once
 * published) are whole days of gapless slots at the asked resolution in one currency, and converts the
 * {@code total} per kWh to an exact price per MWh. Anything else is refused whole with its reason.
 */
final class TibberParser {

    /** Whatever a GraphQL error says is cut to this length, so a server cannot flood the log. */
    private static final int MAX_MESSAGE = 200;

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Optional<String> homeId;
    private final Resolution resolution;
    private final Optional<Currency> expectedCurrency;

    TibberParser(Optional<String> homeId, Resolution resolution, Optional<Currency> expectedCurrency) {
        this.homeId = homeId;
        this.resolution = resolution;
        this.expectedCurrency = expectedCurrency;
    }

    /** The GraphQL errors of a body, if it is a GraphQL answer with any; empty otherwise (never throws). */
    Optional<String> errors(byte[] body) {
        try {
            JsonNode errors = json.readTree(body).path("errors");
            return errors.isArray() && !errors.isEmpty() ? Optional.of(describe(errors)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    TibberPrices parse(byte[] body) throws FeedException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new FeedException("malformed or truncated JSON: " + cut(e.getOriginalMessage()) + " at "
                    + (e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new FeedException("unreadable body: " + cut(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new FeedException("the body is not a JSON object");
        }
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            // data next to errors may be partial: none of it is used
            throw new FeedException("GraphQL errors: " + describe(errors));
        }
        JsonNode homes = root.path("data").path("viewer").path("homes");
        if (!homes.isArray()) {
            throw new FeedException("no data.viewer.homes in the answer");
        }
        JsonNode home = chooseHome(homes);
        String id = home.path("id").asText();
        JsonNode priceInfo = home.path("currentSubscription").path("priceInfo");
        if (!priceInfo.isObject()) {
            throw new FeedException("home " + id + " has no current subscription with prices");
        }
        Optional<ZoneId> zone = zoneOf(home);
        List<Point> today = points("today", priceInfo.path("today"));
        List<Point> tomorrow = points("tomorrow", priceInfo.path("tomorrow"));
        if (today.isEmpty()) {
            throw new FeedException("home " + id + ": no prices for today");
        }
        Currency currency = today.get(0).currency();
        List<Point> all = new ArrayList<>(today);
        all.addAll(tomorrow);
        for (Point p : all) {
            if (!p.currency().equals(currency)) {
                throw new FeedException("prices in more than one currency: " + currency + " and " + p.currency()
                        + " at " + p.start());
            }
        }
        if (expectedCurrency.isPresent() && !expectedCurrency.get().equals(currency)) {
            throw new FeedException("prices are in " + currency + ", the configuration expects " + expectedCurrency.get());
        }
        checkDay("today", today, zone);
        if (!tomorrow.isEmpty()) {
            checkDay("tomorrow", tomorrow, zone);
            Instant todayEnd = today.get(today.size() - 1).start().plus(resolution.slot());
            if (!tomorrow.get(0).start().equals(todayEnd)) {
                throw new FeedException("tomorrow starts at " + tomorrow.get(0).start() + ", not where today ends ("
                        + todayEnd + ")");
            }
        }
        List<PriceSlot> slots = new ArrayList<>(all.size());
        for (Point p : all) {
            slots.add(new PriceSlot(p.start(), resolution.slot(), new EnergyPrice(new Money(perMegawattHour(p.perKwh()), currency))));
        }
        return new TibberPrices(id, currency, today.size(), tomorrow.size(), slots);
    }

    /** Exact: a price per kWh times 1000, the decimal point moved, no rounding. */
    static BigDecimal perMegawattHour(BigDecimal perKilowattHour) {
        return perKilowattHour.movePointRight(3);
    }

    private JsonNode chooseHome(JsonNode homes) throws FeedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode h : homes) {
            ids.add(h.path("id").asText(""));
        }
        if (homeId.isPresent()) {
            for (JsonNode h : homes) {
                if (homeId.get().equals(h.path("id").asText())) {
                    return h;
                }
            }
            throw new FeedException("home " + homeId.get() + " is not in this account; its homes: " + list(ids));
        }
        if (homes.isEmpty()) {
            throw new FeedException("the account has no homes");
        }
        if (homes.size() > 1) {
            throw new FeedException("the account has " + homes.size() + " homes and no homeId is configured; set homeId to one of: "
                    + list(ids));
        }
        return homes.get(0);
    }

    private static Optional<ZoneId> zoneOf(JsonNode home) throws FeedException {
        JsonNode tz = home.path("timeZone");
        if (tz.isMissingNode() || tz.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(tz.asText()));
        } catch (DateTimeException e) {
            throw new FeedException("home time zone '" + cut(tz.asText()) + "' is not a time zone");
        }
    }

    private record Point(Instant start, BigDecimal perKwh, Currency currency) {
    }

    private List<Point> points(String day, JsonNode array) throws FeedException {
        if (array.isMissingNode() || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new FeedException(day + " is not a list of prices");
        }
        List<Point> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode p = array.get(i);
            String where = day + "[" + i + "]";
            JsonNode startsAt = p.path("startsAt");
            if (!startsAt.isTextual()) {
                throw new FeedException(where + " has no startsAt");
            }
            Instant start;
            try {
                start = OffsetDateTime.parse(startsAt.asText()).toInstant();
            } catch (DateTimeException e) {
                throw new FeedException(where + ": startsAt '" + cut(startsAt.asText()) + "' is not a time with an offset");
            }
            JsonNode total = p.path("total");
            if (!total.isNumber()) {
                throw new FeedException(where + " (" + start + ") has no total price" + (total.isNull() ? " (null)" : ""));
            }
            JsonNode cur = p.path("currency");
            Currency currency;
            try {
                currency = Currency.getInstance(cur.asText(""));
            } catch (IllegalArgumentException e) {
                throw new FeedException(where + " (" + start + "): currency '" + cut(cur.asText("")) + "' is not ISO 4217");
            }
            out.add(new Point(start, total.decimalValue(), currency));
        }
        return out;
    }

    /** Gapless at the resolution, in order, and a whole day in the home's zone when it is known. */
    private void checkDay(String day, List<Point> points, Optional<ZoneId> zone) throws FeedException {
        Duration step = resolution.slot();
        for (int i = 1; i < points.size(); i++) {
            if (!points.get(i).start().isAfter(points.get(i - 1).start())) {
                throw new FeedException(day + ": slots out of order or repeated at " + day + "[" + i + "] ("
                        + points.get(i).start() + " after " + points.get(i - 1).start() + ")");
            }
        }
        for (int i = 1; i < points.size(); i++) {
            Instant prev = points.get(i - 1).start();
            Instant cur = points.get(i).start();
            if (!cur.equals(prev.plus(step))) {
                Duration gap = Duration.between(prev, cur);
                String what = gap.compareTo(step) < 0 ? "closer than the asked " + resolution + " resolution" : "missing slots";
                throw new FeedException(day + ": " + what + " after " + prev + " (next slot at " + cur + ", "
                        + gap.toMinutes() + " min later, expected " + step.toMinutes() + ")");
            }
        }
        if (zone.isEmpty()) {
            return;
        }
        Instant first = points.get(0).start();
        LocalDate date = first.atZone(zone.get()).toLocalDate();
        Instant dayStart = date.atStartOfDay(zone.get()).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(zone.get()).toInstant();
        long expected = Duration.between(dayStart, dayEnd).dividedBy(step);
        if (!first.equals(dayStart) || points.size() != expected) {
            throw new FeedException(day + " (" + date + " in " + zone.get() + ") has " + points.size() + " slots from " + first
                    + ", a whole day has " + expected + " from " + dayStart);
        }
    }

    private static String describe(JsonNode errors) {
        return cut(java.util.stream.StreamSupport.stream(errors.spliterator(), false).map(e -> {
            String code = e.path("extensions").path("code").asText("");
            return e.path("message").asText("(no message)") + (code.isEmpty() ? "" : " [" + code + "]");
        }).collect(Collectors.joining("; ")));
    }

    private static String list(List<String> ids) {
        return ids.isEmpty() ? "(none)" : cut(String.join(", ", ids));
    }

    private static String cut(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= MAX_MESSAGE ? one : one.substring(0, MAX_MESSAGE) + "...";
    }
}

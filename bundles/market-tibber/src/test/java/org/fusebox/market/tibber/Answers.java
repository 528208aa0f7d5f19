package org.fusebox.market.tibber;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Answers in the shape of Tibber's GraphQL API (developer.tibber.com: Home, Subscription, PriceInfo,
 * Price), written for these tests: {@code startsAt} in the home's local time with its offset and
 * milliseconds, prices per kWh with four decimals.
 */
final class Answers {

    static final String HOME = "96a14971-525a-4420-aae9-e5aedaa129ff";
    static final String OTHER_HOME = "68e6938b-91a6-4199-a0d4-f24c22be87bb";
    static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final DateTimeFormatter STARTS_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
    private static final String[] LEVELS = { "VERY_CHEAP", "CHEAP", "NORMAL", "EXPENSIVE", "VERY_EXPENSIVE" };

    private Answers() {
    }

    /** A price per kWh for slot {@code i}: 0.1000 + i * 0.0013 (four decimals, as Tibber gives them). */
    static BigDecimal price(int i) {
        return new BigDecimal("0.1000").add(new BigDecimal("0.0013").multiply(BigDecimal.valueOf(i)));
    }

    /** Every slot of {@code day} in {@code zone}, as the JSON elements of a today/tomorrow list. */
    static List<String> day(LocalDate day, ZoneId zone, Duration step, String currency, IntFunction<BigDecimal> price) {
        List<String> out = new ArrayList<>();
        ZonedDateTime t = day.atStartOfDay(zone);
        ZonedDateTime end = day.plusDays(1).atStartOfDay(zone);
        for (int i = 0; t.isBefore(end); i++, t = t.plus(step)) {
            out.add(point(t, price.apply(i), currency, i));
        }
        return out;
    }

    static String point(ZonedDateTime startsAt, BigDecimal total, String currency, int i) {
        BigDecimal tax = total.multiply(new BigDecimal("0.2")).setScale(4, java.math.RoundingMode.HALF_EVEN);
        return "{\"total\":" + total.toPlainString() + ",\"energy\":" + total.subtract(tax).toPlainString() + ",\"tax\":"
                + tax.toPlainString() + ",\"startsAt\":\"" + STARTS_AT.format(startsAt) + "\",\"currency\":\"" + currency
                + "\",\"level\":\"" + LEVELS[i % LEVELS.length] + "\"}";
    }

    static String home(String id, ZoneId zone, List<String> today, List<String> tomorrow) {
        return "{\"id\":\"" + id + "\",\"timeZone\":\"" + zone.getId() + "\",\"currentSubscription\":{\"priceInfo\":{\"today\":["
                + String.join(",", today) + "],\"tomorrow\":[" + String.join(",", tomorrow) + "]}}}";
    }

    static String homeWithoutSubscription(String id, ZoneId zone) {
        return "{\"id\":\"" + id + "\",\"timeZone\":\"" + zone.getId() + "\",\"currentSubscription\":null}";
    }

    static String answer(String... homes) {
        return "{\"data\":{\"viewer\":{\"homes\":[" + String.join(",", homes) + "]}}}";
    }

    /** One home, today and (when {@code withTomorrow}) tomorrow, in NOK at 15 minutes. */
    static String oneHome(LocalDate today, boolean withTomorrow) {
        Duration qh = Duration.ofMinutes(15);
        return answer(home(HOME, OSLO, day(today, OSLO, qh, "NOK", Answers::price),
                withTomorrow ? day(today.plusDays(1), OSLO, qh, "NOK", i -> price(i + 7)) : List.of()));
    }

    static String errors(String message, String code) {
        return "{\"errors\":[{\"message\":\"" + message + "\",\"locations\":[{\"line\":1,\"column\":3}],"
                + "\"extensions\":{\"code\":\"" + code + "\"}}],\"data\":null}";
    }
}

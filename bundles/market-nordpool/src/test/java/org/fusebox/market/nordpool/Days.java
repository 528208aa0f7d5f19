package org.fusebox.market.nordpool;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Answers in the shape of the Nord Pool data portal's {@code DayAheadPrices} (one delivery day, several
 * areas per entry, times in UTC, prices per MWh in the asked currency), written for these tests.
 */
final class Days {

    static final ZoneId CET = ZoneId.of("Europe/Brussels");
    static final Duration QH = Duration.ofMinutes(15);
    static final Duration HOUR = Duration.ofHours(1);

    private Days() {
    }

    /** The price of slot {@code i} in SE3: 41.20 + i * 0.37, two decimals. */
    static BigDecimal price(int i) {
        return new BigDecimal("41.20").add(new BigDecimal("0.37").multiply(BigDecimal.valueOf(i)));
    }

    /** The entries of a whole day: SE3 at {@code price}, SE4 (a neighbour) at a tenth more. */
    static List<String> entries(LocalDate day, Duration mtu, IntFunction<BigDecimal> price) {
        List<String> out = new ArrayList<>();
        Instant t = day.atStartOfDay(CET).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(CET).toInstant();
        for (int i = 0; t.isBefore(end); i++, t = t.plus(mtu)) {
            out.add(entry(t, t.plus(mtu), price.apply(i)));
        }
        return out;
    }

    static String entry(Instant start, Instant end, BigDecimal se3) {
        return "{\"deliveryStart\":\"" + start + "\",\"deliveryEnd\":\"" + end + "\",\"entryPerArea\":{\"SE3\":"
                + se3.toPlainString() + ",\"SE4\":" + se3.multiply(new BigDecimal("1.1")).toPlainString() + "}}";
    }

    static String answer(LocalDate day, String currency, String state, List<String> entries) {
        return "{\"deliveryDateCET\":\"" + day + "\",\"version\":3,\"updatedAt\":\"" + day.minusDays(1)
                + "T11:57:12.4173215Z\",\"deliveryAreas\":[\"SE3\",\"SE4\"],\"market\":\"DayAhead\","
                + "\"multiAreaEntries\":[" + String.join(",", entries) + "],"
                + "\"blockPriceAggregates\":[],\"currency\":\"" + currency + "\",\"exchangeRate\":1,"
                + "\"areaStates\":[{\"state\":\"" + state + "\",\"areas\":[\"SE3\",\"SE4\"]}],\"areaAverages\":[]}";
    }

    static String finalDay(LocalDate day) {
        return answer(day, "EUR", "Final", entries(day, QH, Days::price));
    }
}

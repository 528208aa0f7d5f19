package org.fusebox.market.awattar;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** aWATTar marketdata documents, written from the API's documented shape. */
final class Documents {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private Documents() {
    }

    /** One entry as the API writes it. */
    static String entry(Instant start, Instant end, String price, String unit) {
        return "{\"start_timestamp\":" + start.toEpochMilli() + ",\"end_timestamp\":" + end.toEpochMilli()
                + ",\"marketprice\":" + price + ",\"unit\":\"" + unit + "\"}";
    }

    static String list(List<String> entries) {
        return "{\"object\":\"list\",\"data\":[" + String.join(",", entries) + "],\"url\":\"/de/v1/marketdata\"}";
    }

    /** The entries of local days {@code first..last} (Berlin) at {@code step}, price of entry i from {@code price}. */
    static List<String> days(LocalDate first, LocalDate last, Duration step, IntFunction<String> price) {
        Instant end = last.plusDays(1).atStartOfDay(BERLIN).toInstant();
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Instant t = first.atStartOfDay(BERLIN).toInstant(); t.isBefore(end); t = t.plus(step), i++) {
            out.add(entry(t, t.plus(step), price.apply(i), "Eur/MWh"));
        }
        return out;
    }

    static String day(LocalDate day, Duration step, String price) {
        return list(days(day, day, step, i -> price));
    }
}

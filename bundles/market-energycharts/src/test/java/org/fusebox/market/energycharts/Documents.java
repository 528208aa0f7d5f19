package org.fusebox.market.energycharts;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Energy-Charts /price documents, written from the API's documented shape. */
final class Documents {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private Documents() {
    }

    static String document(List<Long> seconds, List<String> prices, String unit) {
        return "{\"license_info\":\"CC BY 4.0 (creativecommons.org/licenses/by/4.0) from Bundesnetzagentur | SMARD.de\","
                + "\"unix_seconds\":" + seconds + ",\"price\":[" + String.join(",", prices) + "],\"unit\":\"" + unit
                + "\",\"deprecated\":false}";
    }

    /** Local days {@code first..last} (Berlin) at {@code step}; the price of value i from {@code price} ("null" for none). */
    static String days(LocalDate first, LocalDate last, Duration step, IntFunction<String> price) {
        List<Long> seconds = new ArrayList<>();
        List<String> prices = new ArrayList<>();
        Instant end = last.plusDays(1).atStartOfDay(BERLIN).toInstant();
        int i = 0;
        for (Instant t = first.atStartOfDay(BERLIN).toInstant(); t.isBefore(end); t = t.plus(step), i++) {
            seconds.add(t.getEpochSecond());
            prices.add(price.apply(i));
        }
        return document(seconds, prices, "EUR / MWh");
    }

    static String day(LocalDate day, Duration step, String price) {
        return days(day, day, step, i -> price);
    }
}

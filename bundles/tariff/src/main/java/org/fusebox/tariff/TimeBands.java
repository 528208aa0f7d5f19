package org.fusebox.tariff;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Amounts per weekday and local hour, for the hours some band covers; the others have none. Bands never
 * overlap (refused when they do): one hour, one amount.
 */
final class TimeBands {

    static final TimeBands NONE = new TimeBands(new BigDecimal[7 * 24], List.of());

    private final BigDecimal[] byHourOfWeek;
    private final List<String> entries;

    private TimeBands(BigDecimal[] byHourOfWeek, List<String> entries) {
        this.byHourOfWeek = byHourOfWeek;
        this.entries = entries;
    }

    /** The band's amount at that local time, or {@code null} outside every band. */
    BigDecimal at(ZonedDateTime local) {
        return byHourOfWeek[(local.getDayOfWeek().getValue() - 1) * 24 + local.getHour()];
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Parses {@code key}'s entries; adds every problem to {@code errors}. */
    static TimeBands parse(String key, String[] raw, List<String> errors) {
        if (raw == null || raw.length == 0) {
            return NONE;
        }
        BigDecimal[] hours = new BigDecimal[7 * 24];
        String[] owner = new String[7 * 24];
        List<String> entries = new ArrayList<>();
        for (String entry : raw) {
            String e = entry == null ? "" : entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String[] parts = e.split("\\s+");
            if (parts.length != 3) {
                errors.add(key + " entry '" + e + "' must be 'days hours amount', e.g. 'Mon-Fri 17-20 120.5'");
                continue;
            }
            int before = errors.size();
            boolean[] days = days(key, e, parts[0], errors);
            int[] span = hours(key, e, parts[1], errors);
            BigDecimal amount = TariffSettings.amount(key + " entry '" + e + "'", parts[2], errors);
            if (errors.size() > before) {
                continue;
            }
            for (int d = 0; d < 7; d++) {
                if (!days[d]) {
                    continue;
                }
                int h = span[0];
                do {
                    int i = d * 24 + h;
                    if (owner[i] != null) {
                        errors.add(key + " entries '" + owner[i] + "' and '" + e + "' overlap on " + DayOfWeek.of(d + 1) + " at " + h
                                + ":00");
                        d = 7;
                        break;
                    }
                    owner[i] = e;
                    hours[i] = amount;
                    h = (h + 1) % 24;
                } while (h != span[1]);
            }
            entries.add(e);
        }
        return new TimeBands(hours, List.copyOf(entries));
    }

    private static boolean[] days(String key, String entry, String spec, List<String> errors) {
        boolean[] days = new boolean[7];
        if (spec.equals("*")) {
            java.util.Arrays.fill(days, true);
            return days;
        }
        for (String item : spec.split(",")) {
            String[] range = item.split("-");
            if (range.length > 2) {
                errors.add(key + " entry '" + entry + "': days '" + spec + "' must be Mon..Sun, a range Mon-Fri, a list Sat,Sun or *");
                return days;
            }
            int from = day(range[0]);
            int to = range.length == 2 ? day(range[1]) : from;
            if (from < 0 || to < 0) {
                errors.add(key + " entry '" + entry + "': days '" + spec + "' must be Mon..Sun, a range Mon-Fri, a list Sat,Sun or *");
                return days;
            }
            for (int d = from; ; d = (d + 1) % 7) {
                days[d] = true;
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static int day(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "mon" -> 0;
            case "tue" -> 1;
            case "wed" -> 2;
            case "thu" -> 3;
            case "fri" -> 4;
            case "sat" -> 5;
            case "sun" -> 6;
            default -> -1;
        };
    }

    /** [from, to) in hours 0..23 (to taken mod 24); wraps midnight when from is after to; {0, 0} is the whole day. */
    private static int[] hours(String key, String entry, String spec, List<String> errors) {
        String[] range = spec.split("-");
        try {
            if (range.length == 2) {
                int from = Integer.parseInt(range[0]);
                int to = Integer.parseInt(range[1]);
                // 0-24 is the whole day: from equals to once taken mod 24, which the caller reads as all hours
                if (from >= 0 && from <= 23 && to >= 0 && to <= 24 && (from != to % 24 || from == 0 && to == 24)) {
                    return new int[] { from, to % 24 };
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(key + " entry '" + entry + "': hours '" + spec + "' must be from-to on the local clock, whole hours 0..24, e.g. 17-20 or 22-6");
        return new int[] { 0, 1 };
    }
}

package org.fusebox.market.csv;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.regex.Pattern;

/** A validated CSV price feed configuration. */
record CsvFeedSettings(Path file, ZoneId zone, Currency currency, String id, Duration slotLength, boolean shiftToCurrentYear) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

    PriceCsvParser parser() {
        return new PriceCsvParser(zone, currency, slotLength);
    }

    /** @throws IllegalArgumentException naming every bad value */
    static CsvFeedSettings from(CsvPriceFeedConfig c, String karafBase) {
        List<String> errors = new ArrayList<>();
        Path file = null;
        String f = c.file();
        if (f == null || f.isBlank()) {
            errors.add("file must be set");
        } else {
            try {
                file = Path.of(f.trim());
                if (!file.isAbsolute() && karafBase != null && !karafBase.isBlank()) {
                    file = Path.of(karafBase).resolve(file);
                }
                file = file.normalize();
            } catch (InvalidPathException e) {
                errors.add("file '" + f + "' is not a valid path: " + e.getMessage());
            }
        }
        ZoneId zone = null;
        try {
            zone = ZoneId.of(c.timeZone() == null ? "" : c.timeZone().trim());
        } catch (DateTimeException e) {
            errors.add("timeZone '" + c.timeZone() + "' is not a known time zone (e.g. Europe/Brussels)");
        }
        Currency currency = null;
        try {
            currency = Currency.getInstance(c.currency() == null ? "" : c.currency().trim());
        } catch (IllegalArgumentException e) {
            errors.add("currency '" + c.currency() + "' is not an ISO 4217 code (e.g. EUR)");
        }
        String id = c.id() == null ? "" : c.id().trim();
        if (!ID.matcher(id).matches()) {
            errors.add("id '" + c.id() + "' must be letters, digits, '.', '_' or '-'");
        }
        if (c.slotMinutes() < 0 || c.slotMinutes() > 1440) {
            errors.add("slotMinutes must be within 0..1440 (0 infers it), got " + c.slotMinutes());
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        Duration slot = c.slotMinutes() == 0 ? null : Duration.ofMinutes(c.slotMinutes());
        return new CsvFeedSettings(file, zone, currency, id, slot, c.shiftToCurrentYear());
    }
}

package org.fusebox.market.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a two-column price file, {@code time,price per MWh}, into a {@link PriceCurve}. No OSGi.
 *
 * <p>The first column is either a local time in {@link #zone()} ({@code 01jan2023 00:00:00},
 * {@code 2023-01-01 00:00[:ss]}, {@code 2023-01-01T00:00[:ss]}) or an instant with an offset
 * ({@code 2024-01-01T00:00:00Z}, {@code 2024-01-01T01:00:00+01:00}). An optional header line is
 * recognised by a second column that is not a number. Blank lines are ignored.
 *
 * <p>Daylight-saving decisions for local times:
 * <ul>
 * <li>A local time that does not exist (the spring-forward gap) is skipped, reported in
 *     {@link ParsedPrices#skipped()} and logged once per file at INFO with its line numbers.</li>
 * <li>A local time that exists twice (the fall-back hour) is read as the earlier instant (summer
 *     offset) unless that would not come after the previous row, then as the later one (winter
 *     offset). So the first {@code 02:00} is {@code 02:00+02:00} and the second {@code 02:00+01:00}; a
 *     third one is a duplicate.</li>
 * </ul>
 *
 * <p>Anything else wrong refuses the whole file with a {@link PriceFileException} naming the line:
 * a bad time, a bad number, a wrong column count, a row not after the one before (out of order or a
 * duplicate), a row not on the slot grid, or no rows at all.
 */
public final class PriceCsvParser {

    private static final Logger LOG = LoggerFactory.getLogger(PriceCsvParser.class);

    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Brussels");
    public static final Currency DEFAULT_CURRENCY = Currency.getInstance("EUR");
    /** Used when the slot length is inferred from a file with a single row. */
    public static final Duration DEFAULT_SLOT = Duration.ofHours(1);

    private static final DateTimeFormatter DMY = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("ddMMMuuuu HH:mm[:ss]")
            .toFormatter(Locale.ENGLISH)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter ISO_LOCAL_SPACE = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm[:ss]")
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HAS_OFFSET = Pattern.compile(".*T.*(Z|[+-]\\d\\d(:?\\d\\d)?)$", Pattern.CASE_INSENSITIVE);

    private final ZoneId zone;
    private final Currency currency;
    private final Duration slotLength;

    /**
     * @param zone       zone of local times in the file
     * @param currency   currency of the prices
     * @param slotLength slot length, or {@code null} to infer it (shortest step between rows, 1 h for
     *                   a single row)
     */
    public PriceCsvParser(ZoneId zone, Currency currency, Duration slotLength) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.currency = Objects.requireNonNull(currency, "currency");
        if (slotLength != null && (slotLength.isZero() || slotLength.isNegative())) {
            throw new IllegalArgumentException("slot length must be positive, got " + slotLength);
        }
        this.slotLength = slotLength;
    }

    /** Europe/Brussels, EUR, slot length inferred. */
    public PriceCsvParser() {
        this(DEFAULT_ZONE, DEFAULT_CURRENCY, null);
    }

    public ZoneId zone() {
        return zone;
    }

    public Currency currency() {
        return currency;
    }

    public ParsedPrices parse(Path file) throws IOException, PriceFileException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        }
    }

    public ParsedPrices parse(Reader reader, String source) throws IOException, PriceFileException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<Instant> starts = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<BigDecimal> prices = new ArrayList<>();
        List<ParsedPrices.SkippedRow> skipped = new ArrayList<>();
        ZoneRules rules = zone.getRules();

        String raw;
        int lineNo = 0;
        boolean firstContentLine = true;
        while ((raw = in.readLine()) != null) {
            lineNo++;
            String line = lineNo == 1 && raw.startsWith("\uFEFF") ? raw.substring(1) : raw;
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split(",", -1);
            boolean header = firstContentLine && cols.length == 2 && !NUMBER.matcher(cols[1].trim()).matches()
                    && !looksLikeTime(cols[0].trim());
            firstContentLine = false;
            if (header) {
                continue;
            }
            if (cols.length != 2) {
                throw new PriceFileException(source, lineNo,
                        "expected 2 columns (time,price) but found " + cols.length + ": '" + line + "'");
            }
            String timeText = cols[0].trim();
            String priceText = cols[1].trim();
            BigDecimal price = parsePrice(source, lineNo, priceText);

            Instant start;
            if (HAS_OFFSET.matcher(timeText).matches()) {
                start = parseInstant(source, lineNo, timeText);
            } else {
                LocalDateTime local = parseLocal(source, lineNo, timeText);
                List<ZoneOffset> offsets = rules.getValidOffsets(local);
                if (offsets.isEmpty()) {
                    skipped.add(new ParsedPrices.SkippedRow(lineNo, line,
                            local + " does not exist in " + zone + " (clocks go forward)"));
                    continue;
                }
                start = local.atOffset(offsets.get(0)).toInstant();
                if (offsets.size() > 1 && !starts.isEmpty() && !start.isAfter(starts.get(starts.size() - 1))) {
                    start = local.atOffset(offsets.get(offsets.size() - 1)).toInstant();
                }
            }
            if (!starts.isEmpty()) {
                Instant prev = starts.get(starts.size() - 1);
                int prevLine = lines.get(lines.size() - 1);
                if (start.equals(prev)) {
                    throw new PriceFileException(source, lineNo, "duplicate of line " + prevLine + " (" + start
                            + "); only the fall-back hour of a daylight-saving change may repeat, and only once");
                }
                if (start.isBefore(prev)) {
                    throw new PriceFileException(source, lineNo, "out of order: " + timeText + " (" + start
                            + ") is before line " + prevLine + " (" + prev + ")");
                }
            }
            starts.add(start);
            lines.add(lineNo);
            prices.add(price);
        }
        if (starts.isEmpty()) {
            throw new PriceFileException(source, 0, "no price rows");
        }

        Duration length = slotLength != null ? slotLength : inferLength(starts);
        List<PriceSlot> slots = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            if (i > 0) {
                Duration step = Duration.between(starts.get(i - 1), starts.get(i));
                if (step.compareTo(length) < 0 || step.toNanos() % length.toNanos() != 0) {
                    throw new PriceFileException(source, lines.get(i), "starts " + step + " after line "
                            + lines.get(i - 1) + ", not a whole number of " + length + " slots");
                }
            }
            slots.add(new PriceSlot(starts.get(i), length, new EnergyPrice(new Money(prices.get(i), currency))));
        }
        if (!skipped.isEmpty()) {
            LOG.info("{}: skipped {} row(s) for local times that do not exist in {} (daylight-saving gap): {}",
                    source, skipped.size(), zone, skipped.stream().map(s -> "line " + s.line() + " '" + s.text() + "'").toList());
        }
        return new ParsedPrices(new PriceCurve(slots), length, skipped);
    }

    private static Duration inferLength(List<Instant> starts) {
        Duration min = null;
        for (int i = 1; i < starts.size(); i++) {
            Duration step = Duration.between(starts.get(i - 1), starts.get(i));
            if (min == null || step.compareTo(min) < 0) {
                min = step;
            }
        }
        return min == null ? DEFAULT_SLOT : min;
    }

    private static boolean looksLikeTime(String s) {
        return !s.isEmpty() && Character.isDigit(s.charAt(0));
    }

    private static BigDecimal parsePrice(String source, int line, String text) throws PriceFileException {
        if (!NUMBER.matcher(text).matches()) {
            throw new PriceFileException(source, line, "bad number '" + text + "', expected a price per MWh like -4.39");
        }
        return new BigDecimal(text);
    }

    private static Instant parseInstant(String source, int line, String text) throws PriceFileException {
        try {
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new PriceFileException(source, line, "bad date '" + text + "', expected an instant like 2024-01-01T00:00:00Z");
        }
    }

    private static LocalDateTime parseLocal(String source, int line, String text) throws PriceFileException {
        for (DateTimeFormatter f : List.of(DMY, ISO_LOCAL_SPACE, DateTimeFormatter.ISO_LOCAL_DATE_TIME)) {
            try {
                return LocalDateTime.parse(text, f);
            } catch (DateTimeException e) {
                // try the next format
            }
        }
        throw new PriceFileException(source, line, "bad date '" + text
                + "', expected a local time like 01jan2023 00:00:00 or 2023-01-01 00:00, or an instant like 2024-01-01T00:00:00Z");
    }
}

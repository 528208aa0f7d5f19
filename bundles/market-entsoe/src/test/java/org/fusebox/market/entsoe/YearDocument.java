package org.fusebox.market.entsoe;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.market.csv.PriceCsvParser;
import org.fusebox.market.csv.PriceFileException;

/**
 * A year of Belgian day-ahead prices as one A44 response at PT15M: one TimeSeries per delivery day (as the
 * platform answers a long interval), curve type A03, so a quarter hour whose price equals the one before it is
 * left out and must be filled by the parser. The 2023 file is hourly; each hour becomes four quarter hours:
 * <ul>
 * <li>{@link Shape#FLAT}: the hour's price in all four, so A03 leaves out three points of four (the smallest
 * document such a year can be);</li>
 * <li>{@link Shape#INTERPOLATED}: quarter q of hour h at p(h) + (p(h+1) - p(h)) x q / 4, rounded to the cent,
 * so nearly every position carries its own point, as in real 15-minute SDAC results.</li>
 * </ul>
 * The delivery days follow the file's instants (PriceCsvParser's daylight-saving decisions): 26 March 2023 has
 * 92 quarter hours, 29 October 100, 35,040 in the year.
 */
final class YearDocument {

    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    static final Duration QH = Duration.ofMinutes(15);
    static final int QUARTERS_2023 = 8760 * 4;

    enum Shape { FLAT, INTERPOLATED }

    final byte[] xml;
    final int days;
    final int points;
    /** Quarter hours per delivery day, in order. */
    final Map<LocalDate, Integer> quartersByDay;
    final Instant start;
    final Instant end;

    private YearDocument(byte[] xml, int days, int points, Map<LocalDate, Integer> quartersByDay, Instant start, Instant end) {
        this.xml = xml;
        this.days = days;
        this.points = points;
        this.quartersByDay = quartersByDay;
        this.start = start;
        this.end = end;
    }

    /** The repository's 2023 file, or the one named by the system property {@code fusebox.bench.prices}. */
    static Path pricesFile() {
        String configured = System.getProperty("fusebox.bench.prices");
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("../../data/day-ahead-prices-BE-2023.csv")
                .toAbsolutePath().normalize();
    }

    static YearDocument of(Path hourlyFile, Shape shape) throws IOException, PriceFileException {
        if (!Files.isRegularFile(hourlyFile)) {
            throw new IOException("price file not found: " + hourlyFile + " (set -Dfusebox.bench.prices=<file>)");
        }
        List<PriceSlot> hours = new PriceCsvParser(BRUSSELS, PriceCsvParser.DEFAULT_CURRENCY, Duration.ofHours(1)).parse(hourlyFile).curve().slots();
        Map<LocalDate, List<PriceSlot>> byDay = new LinkedHashMap<>();
        for (PriceSlot h : hours) {
            byDay.computeIfAbsent(h.start().atZone(BRUSSELS).toLocalDate(), d -> new ArrayList<>()).add(h);
        }
        List<String> series = new ArrayList<>();
        Map<LocalDate, Integer> quarters = new LinkedHashMap<>();
        int points = 0;
        for (Map.Entry<LocalDate, List<PriceSlot>> day : byDay.entrySet()) {
            Instant dayStart = day.getKey().atStartOfDay(BRUSSELS).toInstant();
            Instant dayEnd = day.getKey().plusDays(1).atStartOfDay(BRUSSELS).toInstant();
            List<PriceSlot> h = day.getValue();
            requireWholeDay(day.getKey(), h, dayStart, dayEnd);
            List<String> positions = new ArrayList<>();
            BigDecimal previous = null;
            for (int i = 0; i < h.size(); i++) {
                BigDecimal here = mwh(h.get(i));
                BigDecimal next = i + 1 < h.size() ? mwh(h.get(i + 1)) : here;
                for (int q = 0; q < 4; q++) {
                    BigDecimal price = shape == Shape.FLAT ? here
                            : here.add(next.subtract(here).multiply(BigDecimal.valueOf(q)).divide(BigDecimal.valueOf(4))).setScale(2, RoundingMode.HALF_EVEN);
                    // A03: a position repeating the price before it is not written
                    if (previous == null || price.compareTo(previous) != 0) {
                        positions.add(Integer.toString(4 * i + q + 1));
                        positions.add(price.toPlainString());
                    }
                    previous = price;
                }
            }
            points += positions.size() / 2;
            quarters.put(day.getKey(), h.size() * 4);
            series.add(Documents.series(Integer.toString(series.size() + 1), Documents.BE, "EUR", 1, "A03",
                    Documents.period(dayStart, dayEnd, QH, positions.toArray(String[]::new))));
        }
        Instant start = hours.get(0).start();
        Instant end = hours.get(hours.size() - 1).end();
        byte[] xml = Documents.publication(Documents.NS_7_3, start, end, series.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8);
        return new YearDocument(xml, series.size(), points, quarters, start, end);
    }

    private static void requireWholeDay(LocalDate day, List<PriceSlot> h, Instant from, Instant to) throws IOException {
        Instant at = from;
        for (PriceSlot s : h) {
            if (!s.start().equals(at)) {
                throw new IOException(day + ": the price file has no hour at " + at + "; a delivery day must be whole");
            }
            at = s.end();
        }
        if (!at.equals(to)) {
            throw new IOException(day + ": the price file ends at " + at + ", the day at " + to);
        }
    }

    private static BigDecimal mwh(PriceSlot s) {
        return s.price().perMegawattHour().amount();
    }
}

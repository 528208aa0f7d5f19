package org.fusebox.market.caiso;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * The CSV of PRC_LMP (version 12, resultformat 6): one row per interval and LMP_TYPE. Only rows of
 * LMP_TYPE {@code LMP} (the whole price) are used; the components MCE, MCC, MCL and MGHG are counted and
 * left out, never added up or mixed in. The MW column carries the price in $/MWh. Every LMP row must be
 * the configured node, market DAM, one hour long, and agree with its OPR_DT/OPR_HR in Pacific time; each
 * trade day must be whole (23, 24 or 25 hours). Any violation refuses the whole file.
 */
final class OasisCsvParser {

    static final List<String> REQUIRED = List.of("INTERVALSTARTTIME_GMT", "INTERVALENDTIME_GMT", "OPR_DT", "OPR_HR",
            "NODE", "MARKET_RUN_ID", "LMP_TYPE", "MW");
    static final String LMP = "LMP";
    private static final Duration HOUR = Duration.ofHours(1);
    private static final ZoneId ZONE = TradeDays.PACIFIC;
    private static final Currency USD = Currency.getInstance("USD");

    private final String node;

    OasisCsvParser(String node) {
        this.node = node;
    }

    OasisReport.Prices parse(String member, byte[] csv) throws ReportRefused {
        String text = new String(csv, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new ReportRefused(member + " is empty");
        }
        List<String> header = split(lines[0], 1, member);
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            col.put(header.get(i).trim().toUpperCase(), i);
        }
        List<String> missing = REQUIRED.stream().filter(c -> !col.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new ReportRefused(member + " lacks the column(s) " + String.join(", ", missing));
        }
        TreeMap<Instant, PriceSlot> byStart = new TreeMap<>();
        Map<LocalDate, Integer> hoursPerDay = new TreeMap<>();
        Map<String, Integer> otherTypes = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            List<String> f = split(lines[i], lineNo, member);
            if (f.size() != header.size()) {
                throw new ReportRefused(member + " line " + lineNo + " has " + f.size() + " fields, the header " + header.size());
            }
            String type = f.get(col.get("LMP_TYPE")).trim();
            if (!LMP.equals(type)) {
                otherTypes.merge(type, 1, Integer::sum);
                continue;
            }
            PriceSlot slot = row(f, col, lineNo, member, hoursPerDay);
            if (byStart.put(slot.start(), slot) != null) {
                throw new ReportRefused(member + " line " + lineNo + ": a second LMP row for the hour starting " + slot.start());
            }
        }
        if (byStart.isEmpty()) {
            throw new ReportRefused(member + " has no rows of LMP_TYPE LMP" + (otherTypes.isEmpty() ? "" : " (only " + otherTypes + ")"));
        }
        for (Map.Entry<LocalDate, Integer> d : hoursPerDay.entrySet()) {
            int expected = TradeDays.hours(d.getKey(), ZONE);
            if (d.getValue() != expected) {
                throw new ReportRefused(member + ": trade day " + d.getKey() + " has " + d.getValue() + " of its " + expected
                        + " hours; a partial day is not used");
            }
        }
        return new OasisReport.Prices(new ArrayList<>(byStart.values()), byStart.size() + " hourly LMPs for trade days "
                + hoursPerDay.keySet() + (otherTypes.isEmpty() ? "" : ", components left out " + otherTypes));
    }

    private PriceSlot row(List<String> f, Map<String, Integer> col, int lineNo, String member, Map<LocalDate, Integer> hoursPerDay)
            throws ReportRefused {
        String where = member + " line " + lineNo + ": ";
        String rowNode = f.get(col.get("NODE")).trim();
        if (!node.equals(rowNode)) {
            throw new ReportRefused(where + "node " + rowNode + ", asked for " + node);
        }
        String market = f.get(col.get("MARKET_RUN_ID")).trim();
        if (!"DAM".equals(market)) {
            throw new ReportRefused(where + "market " + market + ", asked for DAM");
        }
        Instant start;
        Instant end;
        LocalDate day;
        int hour;
        try {
            start = OffsetDateTime.parse(f.get(col.get("INTERVALSTARTTIME_GMT")).trim()).toInstant();
            end = OffsetDateTime.parse(f.get(col.get("INTERVALENDTIME_GMT")).trim()).toInstant();
            day = LocalDate.parse(f.get(col.get("OPR_DT")).trim());
            hour = Integer.parseInt(f.get(col.get("OPR_HR")).trim());
        } catch (DateTimeException | NumberFormatException e) {
            throw new ReportRefused(where + "bad time field: " + e.getMessage(), e);
        }
        if (!Duration.between(start, end).equals(HOUR)) {
            throw new ReportRefused(where + "interval " + start + "/" + end + " is not one hour (day-ahead is hourly)");
        }
        if (!start.atZone(ZONE).toLocalDate().equals(day) || !hourNumberFits(start, day, hour)) {
            throw new ReportRefused(where + "OPR_DT " + day + " OPR_HR " + hour + " does not match the interval starting " + start
                    + " (" + start.atZone(ZONE).toLocalDateTime() + " Pacific)");
        }
        BigDecimal price;
        try {
            price = new BigDecimal(f.get(col.get("MW")).trim());
        } catch (NumberFormatException e) {
            throw new ReportRefused(where + "price '" + f.get(col.get("MW")) + "' is not a number");
        }
        hoursPerDay.merge(day, 1, Integer::sum);
        return new PriceSlot(start, HOUR, new EnergyPrice(new Money(price, USD)));
    }

    /**
     * On a 24-hour day OPR_HR must be the hour ending number of the interval. On a clock-change day the
     * GMT interval decides; the number only has to be one of the ways hours are counted that day: in
     * sequence (1..23 or 1..25), by the local clock (hour ending 4 right after 2 in spring), or 25 for
     * the repeated hour in autumn.
     */
    private static boolean hourNumberFits(Instant start, LocalDate day, int hour) {
        int sequential = TradeDays.hourEnding(start, day, ZONE);
        if (TradeDays.hours(day, ZONE) == 24) {
            return hour == sequential;
        }
        int byClock = start.atZone(ZONE).getHour() + 1;
        return hour == sequential || hour == byClock || hour == 25;
    }

    /** One CSV line; a field may be double-quoted (with "" for a quote). */
    static List<String> split(String line, int lineNo, String member) throws ReportRefused {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new ReportRefused(member + " line " + lineNo + " ends inside a quoted field");
        }
        out.add(cur.toString());
        return out;
    }
}

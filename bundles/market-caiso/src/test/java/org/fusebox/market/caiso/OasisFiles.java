package org.fusebox.market.caiso;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PRC_LMP answers in the published OASIS format (interface specification, PRC_LMP version 12,
 * resultformat 6), written here: per hour one row for each LMP_TYPE, the price in the MW column.
 */
final class OasisFiles {

    static final String NODE = "TH_NP15_GEN-APND";
    static final String HEADER = "INTERVALSTARTTIME_GMT,INTERVALENDTIME_GMT,OPR_DT,OPR_HR,OPR_INTERVAL,NODE_ID_XML,NODE_ID,"
            + "NODE,MARKET_RUN_ID,LMP_TYPE,XML_DATA_ITEM,PNODE_RESMRID,GRP_TYPE,POS,MW,GROUP";
    static final String[] TYPES = { "LMP", "MCE", "MCC", "MCL", "MGHG" };
    private static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'-00:00'").withZone(ZoneOffset.UTC);

    private OasisFiles() {
    }

    /** The LMP of hour ending {@code he} of {@code day} in these tests: 30.00 + he + day-of-month / 100. */
    static String lmp(LocalDate day, int he) {
        return String.format("%d.%02d%d1", 30 + he, day.getDayOfMonth(), he % 10);
    }

    /** Rows of every LMP_TYPE for each whole hour of the trade days. */
    static String csv(LocalDate... days) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (LocalDate day : days) {
            int hours = TradeDays.hours(day, TradeDays.PACIFIC);
            Instant start = TradeDays.start(day, TradeDays.PACIFIC);
            for (int he = 1; he <= hours; he++) {
                Instant s = start.plusSeconds(3600L * (he - 1));
                for (String type : TYPES) {
                    sb.append(row(s, day, he, type, type.equals("LMP") ? lmp(day, he) : component(type, he))).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static String row(Instant start, LocalDate day, int he, String type, String price) {
        String item = switch (type) {
            case "LMP" -> "LMP_PRC";
            case "MCE" -> "LMP_ENE_PRC";
            case "MCC" -> "LMP_CONG_PRC";
            case "MCL" -> "LMP_LOSS_PRC";
            default -> "LMP_GHG_PRC";
        };
        return String.join(",", GMT.format(start), GMT.format(start.plusSeconds(3600)), day.toString(), Integer.toString(he),
                "0", NODE, NODE, NODE, "DAM", type, item, NODE, "ALL_APNODES", "0", price, "1");
    }

    private static String component(String type, int he) {
        return switch (type) {
            case "MCE" -> "28.1";
            case "MCC" -> "-" + he + ".5";
            case "MCL" -> "0.75";
            default -> "0";
        };
    }

    static String error(String code, String description) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<m:OASISReport xmlns:m=\"http://www.caiso.com/soa/OASISReport_v1.xsd\">\n"
                + "<m:MessageHeader><m:TimeDate>2026-07-13T20:05:00.000Z</m:TimeDate><m:Source>OASIS</m:Source>"
                + "<m:Version>v20131201</m:Version></m:MessageHeader>\n"
                + "<m:MessagePayload><m:RTO><m:name>CAISO</m:name>\n"
                + "<m:ERROR><m:ERR_CODE>" + code + "</m:ERR_CODE><m:ERR_DESC>" + description + "</m:ERR_DESC></m:ERROR>\n"
                + "</m:RTO></m:MessagePayload></m:OASISReport>\n";
    }

    static String noData() {
        return error("1000", "No data returned for the specified selection");
    }

    static String csvName(LocalDate from, LocalDate to) {
        return from.toString().replace("-", "") + "_" + to.toString().replace("-", "") + "_PRC_LMP_DAM_LMP_v12.csv";
    }

    static byte[] zip(String name, String content) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(name, content.getBytes(StandardCharsets.UTF_8));
        return zip(m);
    }

    static byte[] zip(Map<String, byte[]> members) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(buf)) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    static byte[] zipOfCsv(LocalDate... days) {
        return zip(csvName(days[0], days[days.length - 1]), csv(days));
    }

    static byte[] cut(byte[] body, int keep) {
        return Arrays.copyOf(body, keep);
    }
}

package org.fusebox.market.pjm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of {@code da_hrl_lmps}: {@code items[]}, {@code totalRows} and {@code links} (the one with
 * rel {@code next}, if any). Each item must carry datetime_beginning_utc, datetime_beginning_ept (which
 * must be the same instant in Eastern time), the asked pnode_id and a numeric total_lmp_da; anything
 * else refuses the page.
 */
record PjmPage(List<Row> rows, long totalRows, String next) {

    /** One hour of one pnode; the price is total_lmp_da in $/MWh, kept exact. */
    record Row(Instant start, LocalDateTime startEastern, long pnodeId, BigDecimal totalLmp) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static PjmPage parse(byte[] body, long pnodeId, int pageNo) throws ReportRefused {
        String where = "page " + pageNo + ": ";
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ReportRefused(where + "malformed or truncated JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ReportRefused(where + "unreadable JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ReportRefused(where + "not a JSON object");
        }
        JsonNode items = field(root, "items");
        JsonNode total = field(root, "totalRows");
        if (items == null || !items.isArray()) {
            throw new ReportRefused(where + "no items[] array" + errors(root));
        }
        if (total == null || !total.canConvertToLong() || total.asLong() < 0) {
            throw new ReportRefused(where + "no totalRows count");
        }
        List<Row> rows = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            rows.add(row(items.get(i), pnodeId, where + "item " + (i + 1) + ": "));
        }
        return new PjmPage(rows, total.asLong(), next(field(root, "links")));
    }

    private static Row row(JsonNode item, long pnodeId, String where) throws ReportRefused {
        if (!item.isObject()) {
            throw new ReportRefused(where + "not an object");
        }
        JsonNode pnode = item.get("pnode_id");
        if (pnode == null || !pnode.canConvertToLong()) {
            throw new ReportRefused(where + "no pnode_id");
        }
        if (pnode.asLong() != pnodeId) {
            throw new ReportRefused(where + "pnode_id " + pnode.asLong() + ", asked for " + pnodeId);
        }
        JsonNode lmp = item.get("total_lmp_da");
        if (lmp == null || !lmp.isNumber()) {
            throw new ReportRefused(where + "total_lmp_da is missing or not a number: " + lmp);
        }
        Instant utc = utc(text(item, "datetime_beginning_utc", where), where);
        LocalDateTime ept;
        try {
            ept = LocalDateTime.parse(text(item, "datetime_beginning_ept", where));
        } catch (DateTimeException e) {
            throw new ReportRefused(where + "datetime_beginning_ept is not a date-time: " + e.getMessage());
        }
        LocalDateTime expected = utc.atZone(TradeDays.EASTERN).toLocalDateTime();
        if (!expected.equals(ept)) {
            throw new ReportRefused(where + "datetime_beginning_ept " + ept + " is not datetime_beginning_utc " + utc
                    + " in Eastern time (" + expected + ")");
        }
        return new Row(utc, ept, pnodeId, lmp.decimalValue());
    }

    private static Instant utc(String text, String where) throws ReportRefused {
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e2) {
                throw new ReportRefused(where + "datetime_beginning_utc '" + text + "' is not a date-time");
            }
        }
    }

    private static String text(JsonNode item, String name, String where) throws ReportRefused {
        JsonNode n = item.get(name);
        if (n == null || !n.isTextual()) {
            throw new ReportRefused(where + "no " + name);
        }
        return n.asText();
    }

    /** The documented names are camelCase; the guide's prose writes them capitalised, so both are read. */
    private static JsonNode field(JsonNode root, String name) {
        JsonNode n = root.get(name);
        return n != null ? n : root.get(Character.toUpperCase(name.charAt(0)) + name.substring(1));
    }

    private static String next(JsonNode links) throws ReportRefused {
        if (links == null || links.isNull()) {
            return null;
        }
        if (!links.isArray()) {
            throw new ReportRefused("links is not an array");
        }
        for (JsonNode l : links) {
            JsonNode rel = l.get("rel");
            JsonNode href = l.get("href");
            if (rel != null && "next".equals(rel.asText()) && href != null && href.isTextual() && !href.asText().isBlank()) {
                return href.asText();
            }
        }
        return null;
    }

    private static String errors(JsonNode root) {
        JsonNode errors = root.get("errors");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            return "";
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode e : errors) {
            JsonNode m = e.get("message");
            messages.add(m == null ? e.toString() : m.asText());
        }
        return " (errors: " + String.join("; ", messages) + ")";
    }

    static String errorText(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            return root == null ? "" : errors(root);
        } catch (IOException e) {
            return "";
        }
    }
}

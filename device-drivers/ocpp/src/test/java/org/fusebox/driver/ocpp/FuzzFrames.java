package org.fusebox.driver.ocpp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Hostile WebSocket frames for one charge point connection, made from valid OCPP 1.6J calls: truncated,
 * mutated byte by byte, with fields of the wrong type, huge numbers, deep nesting, random JSON, oversized
 * text, unsolicited answers, and binary frames or text frames that are not UTF-8. Deterministic for a seed.
 */
final class FuzzFrames {

    /** One frame: text (a Java string, sent as UTF-8) or raw bytes, as a binary or as a text frame. */
    record Frame(String kind, String text, byte[] bytes, boolean binary, String uniqueId) {

        int length() {
            return text != null ? text.length() : bytes.length;
        }

        /** The first 200 characters, for a failure message. */
        String excerpt() {
            String s = text != null ? text : (binary ? "binary " : "text bytes ") + bytes.length + " bytes";
            return kind + ": " + (s.length() > 200 ? s.substring(0, 200) + "... (" + s.length() + " chars)" : s);
        }
    }

    private static final List<String> VALID = List.of(
            "[2,\"%s\",\"Heartbeat\",{}]",
            "[2,\"%s\",\"Authorize\",{\"idTag\":\"TAG1\"}]",
            "[2,\"%s\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]",
            "[2,\"%s\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Charging\"}]",
            "[2,\"%s\",\"StartTransaction\",{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":0,\"timestamp\":\"2024-01-01T00:00:00Z\"}]",
            "[2,\"%s\",\"StopTransaction\",{\"meterStop\":10,\"timestamp\":\"2024-01-01T00:00:00Z\",\"transactionId\":5,"
                    + "\"transactionData\":[{\"timestamp\":\"2024-01-01T00:00:00Z\",\"sampledValue\":[{\"value\":\"0\",\"measurand\":\"Current.Import\",\"unit\":\"A\"}]}]}]",
            "[2,\"%s\",\"MeterValues\",{\"connectorId\":1,\"transactionId\":5,\"meterValue\":[{\"timestamp\":\"2024-01-01T00:00:00Z\","
                    + "\"sampledValue\":[{\"value\":\"1234.5\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"},"
                    + "{\"value\":\"16\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"unit\":\"A\"}]}]}]",
            "[2,\"%s\",\"DataTransfer\",{\"vendorId\":\"acme\",\"messageId\":\"m\",\"data\":\"d\"}]");
    /** Answers to calls the central system never made. */
    private static final List<String> ANSWERS = List.of(
            "[3,\"%s\",{\"status\":\"Accepted\"}]",
            "[3,\"%s\",{}]",
            "[4,\"%s\",\"GenericError\",\"\",{}]");
    private static final String[] HUGE_NUMBERS = {"1e400", "-1e400", "99999999999999999999999999999999", "-9223372036854775809",
        "2147483648", "1.7976931348623157E309", "0.0000000000000000000000000000001", "1E-400", "NaN", "-0"};
    private static final String[] JSON_VALUES = {"null", "true", "false", "0", "-1", "\"\"", "\"x\"", "[]", "{}", "[[]]", "{\"a\":{}}",
        "1.5", "\"2024-13-45T99:99:99Z\"", "\"\\u0000\"", "\"\\ud800\""};

    /** What a byte-level edit puts in: JSON's own characters, a NUL, Latin-1, a 3-byte and half a surrogate pair. */
    private static final String EDIT_CHARS = "[]{}\",:\\0123456789.-eE tfn\u0000\u00ff\u20ac\ud83d";

    private final Random random;
    private long ids;
    private String lastId;

    FuzzFrames(long seed) {
        this.random = new Random(seed);
    }

    /** A valid call with a fresh unique id. */
    String valid() {
        return String.format(VALID.get(random.nextInt(VALID.size())), nextId());
    }

    /**
     * The next hostile (or, now and then, valid) frame. Most keep a readable unique id, so the server answers
     * them with a CALLERROR; about one in forty does not (truncated or mutated into its id, no id at all,
     * binary, not UTF-8) and makes the server close the connection.
     */
    Frame next() {
        lastId = null;
        int dice = random.nextInt(1000);
        if (dice < 100) {
            return text("valid", valid());
        }
        if (dice < 250) {
            String v = valid();
            int from = random.nextInt(10) == 0 ? 1 : idPrefix(v);
            return text("truncated", v.substring(0, from + random.nextInt(v.length() - from)));
        }
        if (dice < 450) {
            String v = valid();
            return text("byte-mutated", mutateChars(v, random.nextInt(10) == 0 ? 0 : idPrefix(v)));
        }
        if (dice < 600) {
            return text("wrong-type", replaceValue(valid(), JSON_VALUES[random.nextInt(JSON_VALUES.length)]));
        }
        if (dice < 700) {
            return text("huge-number", replaceNumber(valid(), HUGE_NUMBERS[random.nextInt(HUGE_NUMBERS.length)]));
        }
        if (dice < 730) {
            return text("deep-nesting", deep(random.nextInt(5) == 0 ? 100_000 : 50 + random.nextInt(5_000)));
        }
        if (dice < 930) {
            return text("random-json", "[2,\"" + nextId() + "\",\"" + randomAction() + "\"," + randomJson(4) + "]");
        }
        if (dice < 970) {
            return text("unsolicited-answer", String.format(ANSWERS.get(random.nextInt(ANSWERS.size())), nextId()));
        }
        if (dice < 978) {
            return text("oversized", "[2,\"" + nextId() + "\",\"DataTransfer\",{\"vendorId\":\"acme\",\"data\":\""
                    + "y".repeat(64 * 1024 + random.nextInt(1024 * 1024)) + "\"}]");
        }
        if (dice < 990) {
            return text("random-array", randomJson(3));
        }
        if (dice < 995) {
            return new Frame("binary", null, randomBytes(1 + random.nextInt(512)), true, null);
        }
        return new Frame("invalid-utf8-text", null, invalidUtf8(), false, lastId);
    }

    /** The length of {@code [2,"id",}: what a frame keeps so that the server can still answer it. */
    private static int idPrefix(String frame) {
        return frame.indexOf(',', frame.indexOf('"', 4)) + 1;
    }

    private String nextId() {
        lastId = "f" + Long.toString(ids++, 36);
        return lastId;
    }

    private Frame text(String kind, String text) {
        return new Frame(kind, text, null, false, lastId);
    }

    private String randomAction() {
        String[] actions = {"Heartbeat", "Authorize", "BootNotification", "StatusNotification", "StartTransaction", "StopTransaction",
            "MeterValues", "DataTransfer", "Reset", "", "heartbeat", "X".repeat(1 + random.nextInt(200))};
        return actions[random.nextInt(actions.length)];
    }

    /** One to four character edits at or after {@code from}. */
    private String mutateChars(String s, int from) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && b.length() > from + 1; i++) {
            int at = from + random.nextInt(b.length() - from);
            char c = EDIT_CHARS.charAt(random.nextInt(EDIT_CHARS.length()));
            switch (random.nextInt(3)) {
                case 0 -> b.setCharAt(at, c);
                case 1 -> b.insert(at, c);
                default -> b.deleteCharAt(at);
            }
        }
        return b.toString();
    }

    /** Replaces one JSON value after a ':' (or the payload itself) with another of a different kind. */
    private String replaceValue(String frame, String value) {
        int colon = nthIndexOf(frame, ':');
        if (colon < 0) {
            return frame.substring(0, frame.lastIndexOf(',') + 1) + value + "]";
        }
        int end = valueEnd(frame, colon + 1);
        return frame.substring(0, colon + 1) + value + frame.substring(end);
    }

    private String replaceNumber(String frame, String number) {
        for (int tries = 0; tries < 10; tries++) {
            int at = random.nextInt(frame.length());
            while (at < frame.length() && !Character.isDigit(frame.charAt(at))) {
                at++;
            }
            if (at < frame.length() && frame.charAt(at - 1) != '"' && !inString(frame, at)) {
                int end = at;
                while (end < frame.length() && (Character.isDigit(frame.charAt(end)) || frame.charAt(end) == '.')) {
                    end++;
                }
                return frame.substring(0, at) + number + frame.substring(end);
            }
        }
        // no bare number: give the connector one
        return frame.replace("\"connectorId\":1", "\"connectorId\":" + number);
    }

    private static boolean inString(String s, int at) {
        boolean in = false;
        for (int i = 0; i < at; i++) {
            if (s.charAt(i) == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                in = !in;
            }
        }
        return in;
    }

    private int nthIndexOf(String s, char c) {
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                count++;
            }
        }
        if (count == 0) {
            return -1;
        }
        int n = random.nextInt(count);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c && n-- == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Where the JSON value starting at {@code from} ends (a flat scan: good enough to cut a value out). */
    private static int valueEnd(String s, int from) {
        int depth = 0;
        boolean in = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (in) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    in = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                in = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    private String deep(int depth) {
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return "[2,\"" + nextId() + "\",\"DataTransfer\",{\"vendorId\":\"acme\",\"data\":" + open.repeat(depth) + "1"
                + close.repeat(random.nextInt(10) == 0 ? depth / 2 : depth) + "}]";
    }

    private String randomJson(int depth) {
        int kind = depth <= 0 ? random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0:
                return JSON_VALUES[random.nextInt(JSON_VALUES.length)];
            case 1:
                return HUGE_NUMBERS[random.nextInt(HUGE_NUMBERS.length)];
            case 2:
                return Long.toString(random.nextLong());
            case 3:
                return "\"" + randomText(random.nextInt(40)) + "\"";
            case 4: {
                StringBuilder b = new StringBuilder("[");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "").append(randomJson(depth - 1));
                }
                return b.append(']').toString();
            }
            default: {
                StringBuilder b = new StringBuilder("{");
                int n = random.nextInt(5);
                String[] keys = {"connectorId", "idTag", "meterValue", "sampledValue", "value", "transactionId", "status", "x"};
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "").append('"').append(keys[random.nextInt(keys.length)]).append("\":").append(randomJson(depth - 1));
                }
                return b.append('}').toString();
            }
        }
    }

    private String randomText(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            char c = (char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x3000));
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                c = 'z';
            }
            b.append(c);
        }
        return b.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A valid call's bytes with a byte sequence that is not UTF-8 in the middle. */
    private byte[] invalidUtf8() {
        byte[] valid = valid().getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {{(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        byte[] insert = bad[random.nextInt(bad.length)];
        int at = 1 + random.nextInt(valid.length - 1);
        byte[] out = new byte[valid.length + insert.length];
        System.arraycopy(valid, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(valid, at, out, at + insert.length, valid.length - at);
        return out;
    }
}

package org.fusebox.driver.modbus.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a register map from JSON. The format (see README.md) is meant to be written by hand: addresses may
 * be decimal or "0x" hex, and a "defaults" object saves repeating the register table, type and word order.
 * Errors name the point and the field so a user can fix their copy.
 */
public final class RegisterMapReader {

    private static final Set<String> POINT_FIELDS = Set.of("name", "registerType", "address", "type",
            "wordOrder", "scale", "scaleFactor", "unit", "access", "poll", "verify");

    private final ObjectMapper mapper = new ObjectMapper();

    public RegisterMap read(InputStream json) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            throw new MapFormatException("a register map is a JSON object");
        }
        String mapName = text(root, "name", "the map");
        JsonNode defaults = root.path("defaults");
        JsonNode pointsNode = root.path("points");
        if (!pointsNode.isArray() || pointsNode.isEmpty()) {
            throw new MapFormatException(mapName + ": 'points' must be a non-empty array");
        }
        List<JsonNode> nodes = new ArrayList<>();
        pointsNode.forEach(nodes::add);

        // scale factors may name a point declared later, so addresses are collected first
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode node : nodes) {
            byName.put(node.path("name").asText(), node);
        }
        List<Point> points = new ArrayList<>();
        for (JsonNode node : nodes) {
            points.add(point(node, defaults, byName));
        }
        return new RegisterMap(mapName, points);
    }

    private Point point(JsonNode node, JsonNode defaults, Map<String, JsonNode> byName) {
        String name = text(node, "name", "a point");
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!POINT_FIELDS.contains(field)) {
                throw new MapFormatException(name + ": unknown field '" + field + "' (known: " + POINT_FIELDS + ")");
            }
        }
        RegisterType registerType = enumValue(RegisterType.class, fieldOrDefault(node, defaults, "registerType"),
                name, "registerType");
        PointType type = enumValue(PointType.class, fieldOrDefault(node, defaults, "type"), name, "type");
        JsonNode orderNode = fieldOrDefault(node, defaults, "wordOrder");
        WordOrder order = orderNode.isMissingNode() ? WordOrder.BIG
                : enumValue(WordOrder.class, orderNode, name, "wordOrder");
        int address = address(node.path("address"), name);
        String unit = node.path("unit").asText("");
        JsonNode accessNode = node.path("access");
        Access access = accessNode.isMissingNode() ? Access.READ
                : enumValue(Access.class, new com.fasterxml.jackson.databind.node.TextNode(
                        accessNode.asText().replaceAll("(?<=[a-z])(?=[A-Z])", "_")), name, "access");
        PollClass poll = enumValue(PollClass.class, fieldOrDefault(node, defaults, "poll").isMissingNode()
                ? new com.fasterxml.jackson.databind.node.TextNode("fast") : fieldOrDefault(node, defaults, "poll"),
                name, "poll");
        JsonNode verifyNode = node.path("verify");
        if (!verifyNode.isMissingNode() && !verifyNode.isBoolean()) {
            throw new MapFormatException(name + ": 'verify' is true or false");
        }
        Point point;
        try {
            point = new Point(name, registerType, address, type, order, 0, null, unit, access, poll,
                    verifyNode.asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new MapFormatException(e.getMessage());
        }

        JsonNode scale = node.path("scale");
        JsonNode scaleFactor = node.path("scaleFactor");
        if (!scale.isMissingNode() && !scaleFactor.isMissingNode()) {
            throw new MapFormatException(name + ": give either 'scale' or 'scaleFactor', not both");
        }
        if (!scale.isMissingNode()) {
            if (!scale.isInt()) {
                throw new MapFormatException(name + ": 'scale' is a whole power of ten, e.g. -1 for tenths");
            }
            return point.withScale(scale.intValue());
        }
        if (!scaleFactor.isMissingNode()) {
            JsonNode sfNode = byName.get(scaleFactor.asText());
            if (sfNode == null) {
                throw new MapFormatException(name + ": scaleFactor names no point '" + scaleFactor.asText() + "'");
            }
            return point.withScaleFactorAt(address(sfNode.path("address"), scaleFactor.asText()));
        }
        return point;
    }

    private static JsonNode fieldOrDefault(JsonNode node, JsonNode defaults, String field) {
        JsonNode own = node.path(field);
        return own.isMissingNode() ? defaults.path(field) : own;
    }

    private static int address(JsonNode node, String pointName) {
        if (node.isInt()) {
            return node.intValue();
        }
        String text = node.asText("").trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("0x")) {
                return Integer.parseInt(text.substring(2), 16);
            }
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MapFormatException(pointName + ": 'address' must be a number or 0x hex, was '"
                    + node.asText("") + "'");
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new MapFormatException(where + " needs a '" + field + "'");
        }
        return value.asText();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String pointName, String field) {
        if (node.isMissingNode()) {
            throw new MapFormatException(pointName + ": '" + field + "' is missing and has no default");
        }
        try {
            return Enum.valueOf(type, node.asText().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                known.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new MapFormatException(pointName + ": '" + field + "' is '" + node.asText() + "', expected one of "
                    + known);
        }
    }

    /** The map file is not valid; the message says where. */
    public static final class MapFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public MapFormatException(String message) {
            super(message);
        }
    }
}

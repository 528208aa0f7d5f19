package org.fusebox.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fusebox.config.api.SnapshotInfo;

/**
 * The JSON form of a site configuration, used for exports, imports, snapshots and remote changes:
 *
 * <pre>
 * {
 *   "format" : "fusebox-site-config/1",
 *   "configurations" : [ {
 *     "pid" : "fusebox.core",
 *     "properties" : { "fuseLimitAmps" : 63.0, "phases:Integer" : 3 }
 *   } ]
 * }
 * </pre>
 *
 * Configurations are ordered by PID and properties by key, with "\n" line ends on every platform, so the
 * same configuration always gives the same bytes and two versions diff line by line.
 */
final class SiteDocument {

    static final String FORMAT = "fusebox-site-config/1";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER;

    static {
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        WRITER = MAPPER.writer(new DefaultPrettyPrinter().withObjectIndenter(indent).withArrayIndenter(indent));
    }

    private SiteDocument() {
    }

    /**
     * One configuration in a document.
     *
     * @param factoryPid {@code null} when not a factory configuration
     * @param delete     only in remote change sets: delete it
     */
    record Entry(String pid, String factoryPid, Map<String, Object> properties, boolean delete) {
        Entry {
            properties = new TreeMap<>(properties);
        }
    }

    /** A parsed document: its entries and, for a snapshot file, what the snapshot is. */
    record Parsed(List<Entry> entries, SnapshotInfo snapshot) {
    }

    /** The document could not be read; every reason found is listed. */
    static final class InvalidDocumentException extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        InvalidDocumentException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        List<String> problems() {
            return problems;
        }
    }

    static String write(List<Entry> entries, SnapshotInfo snapshot) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        if (snapshot != null) {
            ObjectNode s = root.putObject("snapshot");
            s.put("id", snapshot.id());
            s.put("created", snapshot.created().toString());
            s.put("reason", snapshot.reason());
        }
        root.set("configurations", entriesNode(entries));
        try {
            return WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always serialises
        }
    }

    static ArrayNode entriesNode(List<Entry> entries) {
        ArrayNode list = MAPPER.createArrayNode();
        entries.stream().sorted(Comparator.comparing(Entry::pid)).forEach(e -> list.add(entryNode(e)));
        return list;
    }

    static ObjectNode entryNode(Entry e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("pid", e.pid());
        if (e.factoryPid() != null) {
            node.put("factoryPid", e.factoryPid());
        }
        if (e.delete()) {
            node.put("delete", true);
        }
        ObjectNode props = node.putObject("properties");
        new TreeMap<>(e.properties()).forEach((k, v) -> ValueCodec.write(props, k, v));
        return node;
    }

    static String toJson(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * @param allowDelete whether entries may ask for deletion (remote change sets) rather than only state
     *                    what the configuration is (exports, snapshots)
     */
    static Parsed read(String json, boolean allowDelete) throws InvalidDocumentException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException(List.of("the document is not valid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidDocumentException(List.of("the document must be a JSON object with a \"configurations\" array"));
        }
        List<String> problems = new ArrayList<>();
        JsonNode format = root.get("format");
        if (format != null && !FORMAT.equals(format.asText())) {
            problems.add("format '" + format.asText() + "' is not " + FORMAT);
        }
        JsonNode list = root.get("configurations");
        List<Entry> entries = new ArrayList<>();
        if (list == null || !list.isArray()) {
            problems.add("the document has no \"configurations\" array");
        } else {
            Set<String> seen = new HashSet<>();
            int index = 0;
            for (JsonNode node : list) {
                index++;
                Entry entry = entry(node, index, allowDelete, problems);
                if (entry != null && !seen.add(entry.pid())) {
                    problems.add(entry.pid() + ": appears more than once");
                } else if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        SnapshotInfo snapshot = snapshotInfo(root.get("snapshot"), entries.size(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidDocumentException(problems);
        }
        return new Parsed(entries, snapshot);
    }

    private static Entry entry(JsonNode node, int index, boolean allowDelete, List<String> problems) {
        if (!node.isObject()) {
            problems.add("configuration #" + index + " is not a JSON object");
            return null;
        }
        JsonNode pidNode = node.get("pid");
        if (pidNode == null || !pidNode.isTextual() || pidNode.textValue().isBlank()) {
            problems.add("configuration #" + index + " has no \"pid\"");
            return null;
        }
        String pid = pidNode.textValue();
        JsonNode factoryNode = node.get("factoryPid");
        String factoryPid = null;
        if (factoryNode != null && !factoryNode.isNull()) {
            if (!factoryNode.isTextual() || factoryNode.textValue().isBlank()) {
                problems.add(pid + ": \"factoryPid\" must be a non-empty string");
            } else {
                factoryPid = factoryNode.textValue();
            }
        }
        JsonNode deleteNode = node.get("delete");
        boolean delete = deleteNode != null && deleteNode.asBoolean(false);
        if (delete && !allowDelete) {
            problems.add(pid + ": \"delete\" is not allowed here (a configuration left out of the document is deleted)");
        }
        Map<String, Object> properties = new TreeMap<>();
        JsonNode props = node.get("properties");
        if (props != null && !props.isNull()) {
            if (!props.isObject()) {
                problems.add(pid + ": \"properties\" must be a JSON object");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> field = it.next();
                    try {
                        Map.Entry<String, Object> p = ValueCodec.read(field.getKey(), field.getValue());
                        if (properties.put(p.getKey(), p.getValue()) != null) {
                            problems.add(pid + ": " + p.getKey() + " is given more than once");
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(pid + ": " + e.getMessage());
                    }
                }
            }
        } else if (!delete) {
            problems.add(pid + ": has no \"properties\"");
        }
        return new Entry(pid, factoryPid, properties, delete);
    }

    private static SnapshotInfo snapshotInfo(JsonNode node, int configurations, List<String> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        String id = node.path("id").asText("");
        try {
            return new SnapshotInfo(id, Instant.parse(node.path("created").asText("")), node.path("reason").asText(""), configurations);
        } catch (DateTimeParseException | NullPointerException e) {
            problems.add("the snapshot header is damaged");
            return null;
        }
    }
}

package org.fusebox.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session history on disk: one JSON object per line, appended whenever a session changes (the latest
 * line of an id wins), each append one write followed by a flush to the device. A line that cannot be read
 * (a power cut in the middle of an append leaves a torn last line) is skipped with a warning. Compaction
 * writes the latest line of each kept session to a temporary file and moves it over the old one atomically.
 */
final class SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A stored session and where its connector's register stood, so that recording can go on after a restart. */
    record Entry(ChargingSession session, Double registerWh, Instant registerAt, Instant registerMeasuredAt) {

        /** A closed session whose register no longer matters. */
        Entry(ChargingSession session) {
            this(session, null, null, null);
        }

        static Entry of(SessionLedger l) {
            return new Entry(l.toRecord(), l.registerWh, l.registerAt, l.registerMeasuredAt);
        }

        SessionLedger ledger() {
            return SessionLedger.of(session, registerWh, registerAt, registerMeasuredAt);
        }
    }

    /** What a load found. */
    record Loaded(Map<String, Entry> entries, int lines, int unreadable) {
    }

    private final Path file;
    private int lines;

    SessionStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Lines in the file now, superseded ones included. */
    int lines() {
        return lines;
    }

    /** Reads the file; a missing file is an empty history. */
    Loaded load() throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        int count = 0;
        int unreadable = 0;
        if (!Files.exists(file)) {
            lines = 0;
            return new Loaded(entries, 0, 0);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                count++;
                try {
                    Entry e = read(MAPPER.readTree(line));
                    entries.remove(e.session().id()); // keeps the order of the latest write
                    entries.put(e.session().id(), e);
                } catch (IOException | RuntimeException e) {
                    unreadable++;
                    LOG.warn("{} line {} cannot be read and is skipped (a write cut short?): {}", file, number, e.getMessage());
                }
            }
        }
        lines = count;
        return new Loaded(entries, count, unreadable);
    }

    /** Appends one line per entry in a single write, flushed to the device before it returns. */
    void append(Collection<Entry> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        if (Files.exists(file) && Files.size(file) > 0 && !endsWithNewline()) {
            text.append('\n'); // never glue a line to a torn one
        }
        for (Entry e : batch) {
            text.append(MAPPER.writeValueAsString(write(e))).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        }
        lines += batch.size();
    }

    /** Replaces the file with one line per entry, atomically: a crash leaves the old file or the new one. */
    void compact(Collection<Entry> keep) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            for (Entry e : keep) {
                out.write(MAPPER.writeValueAsBytes(write(e)));
                out.write('\n');
            }
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        lines = keep.size();
    }

    private boolean endsWithNewline() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, ch.size() - 1);
            return last.get(0) == '\n';
        }
    }

    // ---- the line format -----------------------------------------------------------------------

    static ObjectNode write(Entry e) {
        ChargingSession s = e.session();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", s.id());
        n.put("chargerId", s.chargerId());
        n.put("connectorId", s.connectorId());
        n.put("transactionId", s.transactionId());
        n.put("idTag", s.idTag());
        n.put("start", s.start().toString());
        n.put("end", s.end() == null ? null : s.end().toString());
        n.put("status", s.status().name());
        n.put("energyWh", s.energy().wattHours());
        n.put("cost", s.cost() == null ? null : s.cost().amount().toPlainString());
        n.put("currency", s.cost() == null ? null : s.cost().currency().getCurrencyCode());
        n.put("meterAnomalies", s.meterAnomalies());
        n.put("lastSeen", s.lastSeen().toString());
        if (e.registerWh() != null) {
            n.put("registerWh", e.registerWh());
        }
        if (e.registerAt() != null) {
            n.put("registerAt", e.registerAt().toString());
        }
        if (e.registerMeasuredAt() != null) {
            n.put("registerMeasuredAt", e.registerMeasuredAt().toString());
        }
        ArrayNode slots = n.putArray("slots");
        for (SlotEnergy slot : s.slots()) {
            ObjectNode o = slots.addObject();
            o.put("start", slot.start().toString());
            o.put("seconds", slot.length().getSeconds());
            o.put("energyWh", slot.energy().wattHours());
            if (slot.priced()) {
                o.put("pricePerMWh", slot.price().perMegawattHour().amount().toPlainString());
                o.put("currency", slot.price().currency().getCurrencyCode());
                o.put("cost", slot.cost().amount().toPlainString());
            }
            if (slot.priceSource() != null) {
                o.put("source", slot.priceSource());
            }
            if (slot.tariff() != null) {
                o.put("tariff", slot.tariff());
            }
        }
        return n;
    }

    /** A stored line; costs are computed again from price and energy, and must agree with the stored ones. */
    static Entry read(JsonNode n) {
        List<SlotEnergy> slots = new ArrayList<>();
        Money cost = null;
        double energy = 0;
        for (JsonNode o : required(n, "slots")) {
            Energy e = Energy.ofWattHours(required(o, "energyWh").asDouble());
            EnergyPrice price = o.hasNonNull("pricePerMWh")
                    ? EnergyPrice.perMegawattHour(o.get("pricePerMWh").asText(), required(o, "currency").asText())
                    : null;
            Money c = price == null ? null : price.costOf(e);
            if (c != null && o.hasNonNull("cost") && c.compareTo(Money.of(o.get("cost").asText(), c.currency().getCurrencyCode())) != 0) {
                throw new IllegalArgumentException("slot cost " + o.get("cost").asText() + " does not match price x energy " + c);
            }
            slots.add(new SlotEnergy(Instant.parse(required(o, "start").asText()),
                    Duration.ofSeconds(required(o, "seconds").asLong()), e, price, c, text(o, "source"), text(o, "tariff")));
            energy += e.wattHours();
            if (c != null) {
                cost = cost == null ? c : cost.plus(c);
            }
        }
        String end = text(n, "end");
        ChargingSession s = new ChargingSession(required(n, "id").asText(), required(n, "chargerId").asText(),
                required(n, "connectorId").asInt(), required(n, "transactionId").asText(), text(n, "idTag"),
                Instant.parse(required(n, "start").asText()), end == null ? null : Instant.parse(end),
                SessionStatus.valueOf(required(n, "status").asText()), Energy.ofWattHours(energy), slots, cost,
                n.path("meterAnomalies").asInt(0), Instant.parse(required(n, "lastSeen").asText()));
        Double register = n.hasNonNull("registerWh") ? n.get("registerWh").asDouble() : null;
        String at = text(n, "registerAt");
        String measured = text(n, "registerMeasuredAt");
        return new Entry(s, register, at == null ? null : Instant.parse(at), measured == null ? null : Instant.parse(measured));
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}

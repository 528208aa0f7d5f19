package org.fusebox.history;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Which charger holds which of the store's charger slots. The first chargers seen take the slots in order and
 * keep them across restarts (a properties file beside the round-robin file, replaced atomically), so a
 * charger's series never changes hands; a charger seen when every slot is taken is only in {@code ev.power}.
 */
final class ChargerSlots {

    private final Path file;
    private final int slots;
    private final Map<String, Integer> bySlot = new LinkedHashMap<>();

    private ChargerSlots(Path file, int slots) {
        this.file = file;
        this.slots = slots;
    }

    /** Reads the file when there is one; a slot beyond {@code slots} or a malformed line is dropped. */
    static ChargerSlots load(Path file, int slots) throws IOException {
        ChargerSlots s = new ChargerSlots(file, slots);
        if (file != null && Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            Map<Integer, String> sorted = new TreeMap<>();
            for (String id : p.stringPropertyNames()) {
                try {
                    int slot = Integer.parseInt(p.getProperty(id).trim());
                    if (slot >= 1 && slot <= slots && !sorted.containsKey(slot)) {
                        sorted.put(slot, id);
                    }
                } catch (NumberFormatException e) {
                    // a hand-edited line; the charger gets a new slot when it is seen
                }
            }
            sorted.forEach((slot, id) -> s.bySlot.put(id, slot));
        }
        return s;
    }

    /** The charger's slot, taking the lowest free one on first sight; empty when every slot is taken. */
    synchronized OptionalInt slotOf(String chargerId) throws IOException {
        Integer known = bySlot.get(chargerId);
        if (known != null) {
            return OptionalInt.of(known);
        }
        for (int slot = 1; slot <= slots; slot++) {
            if (!bySlot.containsValue(slot)) {
                bySlot.put(chargerId, slot);
                save();
                return OptionalInt.of(slot);
            }
        }
        return OptionalInt.empty();
    }

    synchronized Map<String, Integer> assignments() {
        return Map.copyOf(bySlot);
    }

    private void save() throws IOException {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        bySlot.forEach((id, slot) -> p.setProperty(id, Integer.toString(slot)));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "fusebox-history: charger id = slot of its ev.slotN.power series");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

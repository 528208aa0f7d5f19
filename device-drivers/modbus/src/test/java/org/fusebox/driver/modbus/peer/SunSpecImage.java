package org.fusebox.driver.modbus.peer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out a SunSpec register image: "SunS" at the base, then (id, length, data) blocks and the end
 * marker. Tests fill points by their offset within a model, as the SunSpec tables list them; unfilled
 * points hold the "not implemented" value a real device would give (0x8000 for int16 and sunssf, 0xFFFF
 * for uint16; callers set what they need).
 */
public final class SunSpecImage {

    /** Where an image is written: a server's holding registers. */
    @FunctionalInterface
    public interface Sink {
        void setHolding(int address, int... words);
    }

    private final int base;
    private final Map<Integer, int[]> models = new LinkedHashMap<>();
    private final Map<Integer, Integer> addresses = new LinkedHashMap<>();

    public SunSpecImage(int base) {
        this.base = base;
    }

    /** Adds model {@code id} of {@code length} registers, all 0xFFFF until set. */
    public SunSpecImage model(int id, int length) {
        int[] data = new int[length];
        java.util.Arrays.fill(data, 0xFFFF);
        models.put(id, data);
        return this;
    }

    /** Common model 1 with its identity strings. */
    public SunSpecImage common(String manufacturer, String model, String serial) {
        model(1, 66);
        int[] data = models.get(1);
        java.util.Arrays.fill(data, 0);
        text(data, 0, 16, manufacturer);
        text(data, 16, 16, model);
        text(data, 40, 8, "1.0");
        text(data, 48, 16, serial);
        data[64] = 1;
        return this;
    }

    public SunSpecImage set(int modelId, int offset, int... words) {
        int[] data = models.get(modelId);
        for (int i = 0; i < words.length; i++) {
            data[offset + i] = words[i] & 0xFFFF;
        }
        return this;
    }

    public SunSpecImage setFloat(int modelId, int offset, float value) {
        int bits = Float.floatToIntBits(value);
        return set(modelId, offset, bits >>> 16, bits & 0xFFFF);
    }

    public SunSpecImage setUint32(int modelId, int offset, long value) {
        return set(modelId, offset, (int) (value >>> 16), (int) (value & 0xFFFF));
    }

    /** Address of the first data register of a model, once {@link #writeTo} placed it. */
    public int dataAddress(int modelId) {
        return addresses.get(modelId);
    }

    /** Writes the whole image, in the order the models were added, and the end marker. */
    public SunSpecImage writeTo(Sink sink) {
        List<Integer> words = new ArrayList<>(List.of(0x5375, 0x6E53));
        for (Map.Entry<Integer, int[]> m : models.entrySet()) {
            words.add(m.getKey());
            words.add(m.getValue().length);
            addresses.put(m.getKey(), base + words.size());
            for (int w : m.getValue()) {
                words.add(w);
            }
        }
        words.add(0xFFFF);
        words.add(0);
        sink.setHolding(base, words.stream().mapToInt(Integer::intValue).toArray());
        return this;
    }

    private static void text(int[] data, int offset, int registers, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < registers; i++) {
            int hi = 2 * i < bytes.length ? bytes[2 * i] & 0xFF : 0;
            int lo = 2 * i + 1 < bytes.length ? bytes[2 * i + 1] & 0xFF : 0;
            data[offset + i] = (hi << 8) | lo;
        }
    }
}

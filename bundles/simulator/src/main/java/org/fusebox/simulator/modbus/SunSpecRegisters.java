package org.fusebox.simulator.modbus;

import com.ghgande.j2mod.modbus.procimg.IllegalAddressException;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A SunSpec holding-register image for j2mod's slave: "SunS" at the base address, the model blocks, and
 * the end marker. The simulation loads values under a lock after each step and a read request gets a copy
 * taken under the same lock, so a 32-bit value is never read half old and half new. Registers the SunSpec
 * tables mark read-write accept writes and tell a listener; every other register refuses a write with
 * "illegal data address", and so does anything outside the image.
 */
public final class SunSpecRegisters extends SimpleProcessImage {

    /** SunSpec's first choice of base address. */
    public static final int BASE = 40000;

    public static final int NOT_IMPLEMENTED_INT16 = 0x8000;
    public static final int NOT_IMPLEMENTED_UINT16 = 0xFFFF;

    private final Object lock = new Object();
    private final Cell[] cells;
    private final Map<Integer, Integer> dataAddress;

    private SunSpecRegisters(int unitId, Cell[] cells, Map<Integer, Integer> dataAddress) {
        super(unitId);
        this.cells = cells;
        this.dataAddress = Map.copyOf(dataAddress);
    }

    /** Address of the first data register of a model. */
    public int dataAddress(int modelId) {
        Integer a = dataAddress.get(modelId);
        if (a == null) {
            throw new IllegalArgumentException("no model " + modelId + " in this image");
        }
        return a;
    }

    /** The value of one register of a model, by its offset in the SunSpec table. */
    public int get(int modelId, int offset) {
        return cell(dataAddress(modelId) + offset).value;
    }

    /** Loads model registers from the simulation; a batch of loads is atomic for readers. */
    public void load(Runnable loads) {
        synchronized (lock) {
            loads.run();
        }
    }

    /** Within {@link #load}: sets registers of a model by offset, bypassing the write listener. */
    public void set(int modelId, int offset, int... words) {
        int a = dataAddress(modelId) + offset;
        for (int i = 0; i < words.length; i++) {
            cell(a + i).value = words[i] & 0xFFFF;
        }
    }

    public void setInt16(int modelId, int offset, long value) {
        set(modelId, offset, value < Short.MIN_VALUE || value > Short.MAX_VALUE ? NOT_IMPLEMENTED_INT16 : (int) value);
    }

    public void setUint16(int modelId, int offset, long value) {
        set(modelId, offset, value < 0 || value >= 0xFFFF ? NOT_IMPLEMENTED_UINT16 : (int) value);
    }

    public void setUint32(int modelId, int offset, long value) {
        long v = Math.max(0, Math.min(0xFFFF_FFFEL, value));
        set(modelId, offset, (int) (v >>> 16), (int) (v & 0xFFFF));
    }

    private Cell cell(int address) {
        int i = address - BASE;
        if (i < 0 || i >= cells.length) {
            throw new IllegalAddressException("register " + address + " is outside the SunSpec image");
        }
        return cells[i];
    }

    @Override
    public Register getRegister(int address) {
        return cell(address);
    }

    @Override
    public Register[] getRegisterRange(int address, int count) {
        if (count < 1 || address < BASE || address + count > BASE + cells.length) {
            throw new IllegalAddressException("registers " + address + ".." + (address + count - 1)
                    + " are outside the SunSpec image");
        }
        Register[] copy = new Register[count];
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                Cell live = cells[address - BASE + i];
                copy[i] = new Copy(live, live.value);
            }
        }
        return copy;
    }

    @Override
    public int getRegisterCount() {
        return BASE + cells.length;
    }

    @Override
    public InputRegister[] getInputRegisterRange(int offset, int count) {
        throw new IllegalAddressException("a SunSpec device has no input registers");
    }

    @Override
    public InputRegister getInputRegister(int offset) {
        throw new IllegalAddressException("a SunSpec device has no input registers");
    }

    /** Lays the models out from {@link #BASE}. */
    public static final class Builder {
        private final List<int[]> blocks = new ArrayList<>();
        private final List<Integer> ids = new ArrayList<>();
        private final Map<Integer, IntConsumer> writable = new HashMap<>();
        private final Map<Integer, List<Integer>> writableOffsets = new HashMap<>();

        /** A model of {@code length} registers, all "not implemented" (0xFFFF) until loaded. */
        public Builder model(int id, int length) {
            int[] block = new int[length];
            Arrays.fill(block, NOT_IMPLEMENTED_UINT16);
            blocks.add(block);
            ids.add(id);
            return this;
        }

        /** Common model 1 with the identity strings. */
        public Builder common(String manufacturer, String model, String version, String serial, int unitId) {
            int[] block = new int[66];
            text(block, 0, 16, manufacturer);
            text(block, 16, 16, model);
            text(block, 40, 8, version);
            text(block, 48, 16, serial);
            block[64] = unitId;
            blocks.add(block);
            ids.add(1);
            return this;
        }

        /** Registers of model {@code id} at these offsets accept writes; the listener hears the offset. */
        public Builder writable(int id, IntConsumer listener, int... offsets) {
            writable.put(id, listener);
            List<Integer> list = new ArrayList<>();
            for (int o : offsets) {
                list.add(o);
            }
            writableOffsets.put(id, list);
            return this;
        }

        public SunSpecRegisters build(int unitId) {
            List<Cell> cells = new ArrayList<>();
            Map<Integer, Integer> data = new HashMap<>();
            cells.add(new Cell(BASE, 0x5375, null));
            cells.add(new Cell(BASE + 1, 0x6E53, null));
            for (int m = 0; m < blocks.size(); m++) {
                int id = ids.get(m);
                int[] block = blocks.get(m);
                cells.add(new Cell(BASE + cells.size(), id, null));
                cells.add(new Cell(BASE + cells.size(), block.length, null));
                int start = BASE + cells.size();
                data.put(id, start);
                IntConsumer listener = writable.get(id);
                List<Integer> offsets = writableOffsets.getOrDefault(id, List.of());
                for (int o = 0; o < block.length; o++) {
                    int offset = o;
                    IntConsumer onWrite = listener != null && offsets.contains(o) ? a -> listener.accept(offset) : null;
                    cells.add(new Cell(start + o, block[o], onWrite));
                }
            }
            cells.add(new Cell(BASE + cells.size(), 0xFFFF, null));
            cells.add(new Cell(BASE + cells.size(), 0, null));
            return new SunSpecRegisters(unitId, cells.toArray(new Cell[0]), data);
        }

        private static void text(int[] block, int offset, int registers, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < registers; i++) {
                int hi = 2 * i < bytes.length ? bytes[2 * i] & 0xFF : 0;
                int lo = 2 * i + 1 < bytes.length ? bytes[2 * i + 1] & 0xFF : 0;
                block[offset + i] = (hi << 8) | lo;
            }
        }
    }

    /** One live register. */
    private static final class Cell implements Register {
        private final int address;
        private final IntConsumer onWrite;
        private volatile int value;

        Cell(int address, int value, IntConsumer onWrite) {
            this.address = address;
            this.value = value & 0xFFFF;
            this.onWrite = onWrite;
        }

        @Override
        public int getValue() {
            return value;
        }

        @Override
        public int toUnsignedShort() {
            return value;
        }

        @Override
        public short toShort() {
            return (short) value;
        }

        @Override
        public byte[] toBytes() {
            return new byte[] {(byte) (value >>> 8), (byte) value};
        }

        @Override
        public void setValue(int v) {
            if (onWrite == null) {
                throw new IllegalAddressException("register " + address + " is read-only");
            }
            value = v & 0xFFFF;
            onWrite.accept(address);
        }

        @Override
        public void setValue(short s) {
            setValue(s & 0xFFFF);
        }

        @Override
        public void setValue(byte[] bytes) {
            setValue(((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF));
        }
    }

    /** What a read request sees: the value at the time of the request; a write goes to the live register. */
    private static final class Copy implements Register {
        private final Cell live;
        private final int value;

        Copy(Cell live, int value) {
            this.live = live;
            this.value = value;
        }

        @Override
        public int getValue() {
            return value;
        }

        @Override
        public int toUnsignedShort() {
            return value;
        }

        @Override
        public short toShort() {
            return (short) value;
        }

        @Override
        public byte[] toBytes() {
            return new byte[] {(byte) (value >>> 8), (byte) value};
        }

        @Override
        public void setValue(int v) {
            live.setValue(v);
        }

        @Override
        public void setValue(short s) {
            live.setValue(s);
        }

        @Override
        public void setValue(byte[] bytes) {
            live.setValue(bytes);
        }
    }
}

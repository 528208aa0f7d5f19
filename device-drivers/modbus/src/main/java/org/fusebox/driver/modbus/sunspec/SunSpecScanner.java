package org.fusebox.driver.modbus.sunspec;

import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.driver.modbus.ModbusReplyException;
import org.fusebox.driver.modbus.RegisterReader;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.RegisterType;

/**
 * Finds a SunSpec device's models: looks for the "SunS" marker at the three standard base addresses, then
 * follows the chain of (id, length) headers to the end marker. Every step is bounded, so a device with a
 * corrupt chain yields a report, never a loop.
 */
public final class SunSpecScanner {

    /** Base addresses in the order the SunSpec specification recommends trying them. */
    public static final List<Integer> BASE_ADDRESSES = List.of(40000, 50000, 0);

    static final int MARKER_HIGH = 0x5375; // "Su"
    static final int MARKER_LOW = 0x6E53;  // "nS"
    static final int END_ID = 0xFFFF;

    // real devices carry a handful of models; far more means the chain is garbage
    private static final int MAX_MODELS = 100;

    private final RegisterReader reader;

    public SunSpecScanner(RegisterReader reader) {
        this.reader = reader;
    }

    /** @throws ConnectionException when the device cannot be reached at all */
    public SunSpecScan scan() throws ConnectionException {
        for (int base : BASE_ADDRESSES) {
            if (markerAt(base)) {
                return walk(base);
            }
        }
        return new SunSpecScan(-1, List.of(), "no SunSpec marker at " + BASE_ADDRESSES);
    }

    private boolean markerAt(int base) throws ConnectionException {
        try {
            int[] words = reader.read(RegisterType.HOLDING, base, 2);
            return words.length == 2 && words[0] == MARKER_HIGH && words[1] == MARKER_LOW;
        } catch (ModbusReplyException e) {
            return false; // nothing mapped there: try the next base
        }
    }

    private SunSpecScan walk(int base) throws ConnectionException {
        List<SunSpecModel> models = new ArrayList<>();
        int header = base + 2;
        while (models.size() < MAX_MODELS) {
            if (header + 1 > Point.MAX_ADDRESS) {
                return new SunSpecScan(base, models, "model chain runs past register " + Point.MAX_ADDRESS);
            }
            int[] words;
            try {
                words = reader.read(RegisterType.HOLDING, header, 2);
            } catch (ModbusReplyException e) {
                return new SunSpecScan(base, models, "model chain broken at register " + header + ": "
                        + e.getMessage());
            }
            if (words.length != 2) {
                return new SunSpecScan(base, models, "short reply for the model header at register " + header);
            }
            int id = words[0];
            int length = words[1];
            if (id == END_ID) {
                return new SunSpecScan(base, models, null);
            }
            if (id == 0) {
                // no model has id 0; erased or unmapped registers read as zeros, so the chain went astray
                return new SunSpecScan(base, models, "model chain broken at register " + header
                        + ": model id 0 (the previous length is probably wrong)");
            }
            int dataAddress = header + 2;
            if (dataAddress + length - 1 > Point.MAX_ADDRESS) {
                return new SunSpecScan(base, models, "model " + id + " at register " + header + " claims length "
                        + length + ", past register " + Point.MAX_ADDRESS);
            }
            models.add(new SunSpecModel(id, length, dataAddress));
            header = dataAddress + length; // unknown models are skipped by their length alone
        }
        return new SunSpecScan(base, models, "more than " + MAX_MODELS + " models; the chain looks corrupt");
    }
}

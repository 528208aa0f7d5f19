package org.fusebox.driver.modbus.sunspec;

import java.nio.charset.StandardCharsets;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.driver.modbus.ModbusReplyException;
import org.fusebox.driver.modbus.RegisterReader;
import org.fusebox.driver.modbus.map.RegisterType;

/**
 * The identity from common model 1.
 *
 * @param manufacturer Mn
 * @param model        Md
 * @param version      Vr (firmware version)
 * @param serialNumber SN
 */
public record SunSpecCommon(String manufacturer, String model, String version, String serialNumber) {

    public static final int MODEL_ID = 1;

    // offsets and sizes within model 1, from the SunSpec common model table
    private static final int MN = 0;
    private static final int MD = 16;
    private static final int VR = 40;
    private static final int SN = 48;
    private static final int LAST = SN + 16;

    /** Reads model 1's identity strings in one request. */
    public static SunSpecCommon read(RegisterReader reader, SunSpecModel common)
            throws ModbusReplyException, ConnectionException {
        if (common.id() != MODEL_ID || common.length() < LAST) {
            throw new IllegalArgumentException("not a common model 1 block: " + common);
        }
        int[] words = reader.read(RegisterType.HOLDING, common.dataAddress(), LAST);
        return new SunSpecCommon(text(words, MN, 16), text(words, MD, 16), text(words, VR, 8), text(words, SN, 16));
    }

    /** SunSpec strings are ASCII, two characters per register, padded with NULs (some devices use spaces). */
    static String text(int[] words, int offset, int registers) {
        byte[] bytes = new byte[registers * 2];
        for (int i = 0; i < registers; i++) {
            bytes[2 * i] = (byte) (words[offset + i] >>> 8);
            bytes[2 * i + 1] = (byte) words[offset + i];
        }
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == ' ')) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}

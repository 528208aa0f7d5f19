package org.fusebox.driver.modbus;

/** The device answered a request with a Modbus exception code (or an unusable reply). */
public class ModbusReplyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exceptionCode;

    /** @param exceptionCode the Modbus exception code, or 0 when the reply was unusable for another reason */
    public ModbusReplyException(int exceptionCode, String message) {
        super(message);
        this.exceptionCode = exceptionCode;
    }

    public int exceptionCode() {
        return exceptionCode;
    }

    /** The standard name of a Modbus exception code, for messages a site integrator can look up. */
    public static String describe(int code) {
        return switch (code) {
            case 1 -> "illegal function";
            case 2 -> "illegal data address";
            case 3 -> "illegal data value";
            case 4 -> "server device failure";
            case 5 -> "acknowledge";
            case 6 -> "server device busy";
            case 8 -> "memory parity error";
            case 10 -> "gateway path unavailable";
            case 11 -> "gateway target device failed to respond";
            default -> "exception code " + code;
        };
    }
}

package org.fusebox.market.csv;

/** A price file that was refused as a whole; names the line (1-based, 0 for the whole file) and the fault. */
public final class PriceFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    PriceFileException(String source, int line, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    /** 1-based line number of the fault, 0 when it concerns the file as a whole. */
    public int line() {
        return line;
    }
}

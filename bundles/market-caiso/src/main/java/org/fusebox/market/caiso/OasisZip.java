package org.fusebox.market.caiso;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the members of an OASIS SingleZip answer with hard limits: a ZIP that is truncated, damaged,
 * has too many members or inflates beyond {@link #MAX_UNCOMPRESSED_BYTES} is refused before it is parsed.
 * A day of one node is a few kB of CSV, so the limits are generous for real answers and small for a bomb.
 */
final class OasisZip {

    static final int MAX_MEMBERS = 8;
    static final long MAX_UNCOMPRESSED_BYTES = 4L * 1024 * 1024;
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int EOCD_LENGTH = 22;

    private OasisZip() {
    }

    static boolean looksLikeZip(byte[] body) {
        return body.length >= 4 && body[0] == 'P' && body[1] == 'K' && body[2] == 3 && body[3] == 4;
    }

    /** Member name to content, in ZIP order. */
    static Map<String, byte[]> members(byte[] zip) throws ReportRefused {
        if (zip.length >= 4 && zip[0] == 'P' && zip[1] == 'K' && zip[2] == 5 && zip[3] == 6) {
            throw new ReportRefused("the ZIP file is empty");
        }
        if (!looksLikeZip(zip)) {
            throw new ReportRefused("the answer is not a ZIP file (" + zip.length + " bytes)");
        }
        // a stream reader stops happily at the end of the last whole member; the directory at the end proves the rest arrived
        if (!hasEndOfCentralDirectory(zip)) {
            throw new ReportRefused("the ZIP file is truncated (no end of central directory in " + zip.length + " bytes)");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                if (out.size() == MAX_MEMBERS) {
                    throw new ReportRefused("the ZIP file has more than " + MAX_MEMBERS + " members");
                }
                byte[] content = readLimited(in, MAX_UNCOMPRESSED_BYTES - total, e.getName());
                total += content.length;
                if (out.put(e.getName(), content) != null) {
                    throw new ReportRefused("the ZIP file has two members named " + e.getName());
                }
            }
        } catch (IOException e) {
            throw new ReportRefused("the ZIP file is damaged or truncated: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ReportRefused("the ZIP file is empty");
        }
        return out;
    }

    private static byte[] readLimited(InputStream in, long allowed, String name) throws IOException, ReportRefused {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        long read = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            read += n;
            if (read > allowed) {
                throw new ReportRefused("the ZIP member " + name + " inflates to more than " + MAX_UNCOMPRESSED_BYTES
                        + " bytes in all; refused (not a price report of one node)");
            }
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }

    private static boolean hasEndOfCentralDirectory(byte[] zip) {
        int lowest = Math.max(0, zip.length - EOCD_LENGTH - 0xFFFF);
        for (int i = zip.length - EOCD_LENGTH; i >= lowest; i--) {
            int sig = (zip[i] & 0xFF) | (zip[i + 1] & 0xFF) << 8 | (zip[i + 2] & 0xFF) << 16 | (zip[i + 3] & 0xFF) << 24;
            if (sig == EOCD_SIGNATURE) {
                int commentLength = (zip[i + 20] & 0xFF) | (zip[i + 21] & 0xFF) << 8;
                return i + EOCD_LENGTH + commentLength == zip.length;
            }
        }
        return false;
    }
}

package org.fusebox.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.felix.utils.properties.TypedProperties;

/**
 * Reads the {@code fusebox.*.cfg} files of a directory with file install's own parser (Felix utils'
 * {@link TypedProperties}), so that a file called broken here is one file install refuses too. File
 * install only logs a stack trace for such a file; this reader finds the line that breaks it.
 */
final class ConfigFileReader {

    static final String PREFIX = "fusebox.";
    static final String SUFFIX = ".cfg";

    private ConfigFileReader() {
    }

    /** Every {@code fusebox.*.cfg} file of the directory, ordered by name; none when it does not exist. */
    static List<ConfigFile> readAll(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            ds.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            });
        }
        files.sort(null);
        List<ConfigFile> out = new ArrayList<>();
        for (Path f : files) {
            out.add(read(f));
        }
        return out;
    }

    static ConfigFile read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String base = name.substring(0, name.length() - SUFFIX.length());
        // file install's rule: "<pid>-<name>.cfg" is a factory configuration (named <pid>~<name> by Karaf)
        int dash = base.indexOf('-');
        String factoryPid = dash > 0 ? base.substring(0, dash) : null;
        String pid = dash > 0 ? factoryPid + "~" + base.substring(dash + 1) : base;
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        try {
            return new ConfigFile(file, pid, factoryPid, parse(text), Optional.empty());
        } catch (Exception e) {
            return new ConfigFile(file, pid, factoryPid, Map.of(), Optional.of(locate(name, text, e)));
        }
    }

    static Map<String, Object> parse(String text) throws IOException {
        TypedProperties p = new TypedProperties();
        p.load(new StringReader(text));
        Map<String, Object> out = new TreeMap<>();
        // values are converted from their typed form (I"63", [..]) only when read: reading every entry
        // here is what makes a value file install cannot convert fail now, as it fails file install
        for (Map.Entry<String, Object> e : p.entrySet()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /**
     * The first line whose inclusion makes the file unreadable: the file is parsed one more line at a
     * time. Files are a few dozen lines, so this costs nothing worth mentioning, and it keeps the parser's
     * own rules (continuation lines, escapes, typed values) instead of re-implementing them.
     */
    private static String locate(String name, String text, Exception failure) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            prefix.append(lines[i]).append('\n');
            try {
                parse(prefix.toString());
            } catch (Exception e) {
                return name + " line " + (i + 1) + ": cannot be read (" + describe(e) + "): " + lines[i].strip();
            }
        }
        return name + ": cannot be read (" + describe(failure) + ")";
    }

    /** What went wrong in words, without the name of an exception class. */
    static String describe(Exception e) {
        if (e instanceof NumberFormatException) {
            String m = e.getMessage();
            return m == null ? "not a number" : "not a number: " + m.replace("For input string: ", "");
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "unreadable value" : m;
    }
}

package org.fusebox.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A validated {@link ConfigServiceConfig}. */
record ConfigServiceSettings(Path snapshotDirectory, int keepSnapshots, List<String> maskedNames) {

    static final int DEFAULT_KEEP = 20;
    static final int MAX_KEEP = 1000;

    /** Where snapshots go when nothing is configured; Karaf always sets karaf.data, elsewhere ./data stands in. */
    static Path defaultDirectory(String karafData) {
        return dataDirectory(karafData).resolve("fusebox").resolve("config-snapshots");
    }

    private static Path dataDirectory(String karafData) {
        Path data = karafData == null || karafData.isBlank() ? Path.of("data") : Path.of(karafData);
        return data.toAbsolutePath().normalize();
    }

    static ConfigServiceSettings defaults(String karafData) {
        return new ConfigServiceSettings(defaultDirectory(karafData), DEFAULT_KEEP, SecretPolicy.DEFAULT_WORDS);
    }

    /** @throws IllegalArgumentException naming every bad value */
    static ConfigServiceSettings from(ConfigServiceConfig c, String karafData) {
        List<String> errors = new ArrayList<>();
        Path dir = null;
        String d = c.snapshotDirectory() == null ? "" : c.snapshotDirectory().trim();
        if (d.isEmpty()) {
            dir = defaultDirectory(karafData);
        } else {
            try {
                Path p = Path.of(d);
                if (!p.isAbsolute()) {
                    p = dataDirectory(karafData).resolve(p);
                }
                dir = p.toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                errors.add("snapshotDirectory '" + d + "' is not a valid path: " + e.getMessage());
            }
        }
        if (c.keepSnapshots() < 1 || c.keepSnapshots() > MAX_KEEP) {
            errors.add("keepSnapshots must be within 1.." + MAX_KEEP + ", got " + c.keepSnapshots());
        }
        List<String> words = new ArrayList<>();
        for (String w : c.maskedNames() == null ? new String[0] : c.maskedNames()) {
            if (w == null || w.isBlank()) {
                errors.add("maskedNames must not hold an empty word (it would make every property a secret)");
            } else {
                words.add(w.trim());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new ConfigServiceSettings(dir, c.keepSnapshots(), List.copyOf(words));
    }
}

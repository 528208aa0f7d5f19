package org.fusebox.management;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.osgi.framework.Version;

/**
 * Makes a bundle upgrade stay through Karaf's feature operations and restarts, with Karaf's own bundle overrides: the
 * verified jar goes into the distribution's Maven repository ({@code system/}) under the bundle's Maven coordinates and
 * new version, and {@code etc/overrides.properties} gets {@code mvn:<group>/<artifact>/<version>;range="[0,<version>)"}.
 * Karaf's feature resolver then uses that jar wherever a feature names an older one of the same artifact, so the
 * next feature operation finds the upgraded bundle already at the version it wants. Karaf reads the file at every
 * start and at {@code refreshFeatures}.
 *
 * <p>This class owns only the lines it wrote, each under a marker comment naming the bundle; the operator's own lines
 * and comments stay as they are.
 */
final class KarafOverrides {

    static final String MARKER = "# fusebox-management: ";
    private static final Pattern MVN = Pattern.compile("mvn:([^/!]+)/([^/]+)/([^/]+)(/.*)?");

    /** Maven coordinates of a bundle installed from a {@code mvn:} location. */
    record Coordinates(String group, String artifact, Version version) {
    }

    private final Path file;
    private final Path repository;

    /**
     * @param file       Karaf's overrides file, {@code ${karaf.etc}/overrides.properties}
     * @param repository the Maven repository Karaf resolves from offline, {@code ${karaf.home}/system}
     */
    KarafOverrides(Path file, Path repository) {
        this.file = file;
        this.repository = repository;
    }

    /** The running Karaf's, or empty outside Karaf. */
    static Optional<KarafOverrides> ofKaraf() {
        String etc = System.getProperty("karaf.etc");
        String home = System.getProperty("karaf.home");
        if (etc == null || home == null) {
            return Optional.empty();
        }
        return Optional.of(new KarafOverrides(Path.of(etc, "overrides.properties"), Path.of(home, "system")));
    }

    /** The coordinates of a {@code mvn:} location (Karaf installs feature bundles so), else empty. */
    static Optional<Coordinates> coordinates(String location) {
        var m = MVN.matcher(location == null ? "" : location.trim());
        if (!m.matches() || (m.group(4) != null && !m.group(4).equals("/jar"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Coordinates(m.group(1), m.group(2), Version.parseVersion(m.group(3).replaceFirst("-", "."))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Pins {@code bsn} at {@code version}: the jar into the repository, the override line into the file (replacing an
     * earlier pin of the same bundle). Both writes are atomic; the jar goes first, so the line never names a missing jar.
     */
    void pin(String bsn, Coordinates c, String version, Path jar) throws IOException {
        String v = Version.parseVersion(version).toString();
        Path target = repository.resolve(c.group().replace('.', '/')).resolve(c.artifact()).resolve(v)
                .resolve(c.artifact() + "-" + v + ".jar");
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        force(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        List<String> lines = withoutPin(read(), bsn);
        lines.add(MARKER + bsn + " " + v + " (over-the-air upgrade; removed by its rollback)");
        lines.add("mvn:" + c.group() + "/" + c.artifact() + "/" + v + ";range=\"[0," + v + ")\"");
        write(lines);
    }

    /** @return whether there was a pin of {@code bsn} to remove */
    boolean unpin(String bsn) throws IOException {
        List<String> before = read();
        List<String> after = withoutPin(before, bsn);
        if (after.size() == before.size()) {
            return false;
        }
        write(after);
        return true;
    }

    /** The version {@code bsn} is pinned at, if any. */
    Optional<String> pinned(String bsn) throws IOException {
        for (String l : read()) {
            if (l.startsWith(MARKER + bsn + " ")) {
                return Optional.of(l.substring((MARKER + bsn + " ").length()).split(" ", 2)[0]);
            }
        }
        return Optional.empty();
    }

    private static List<String> withoutPin(List<String> lines, String bsn) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(MARKER + bsn + " ")) {
                i++; // and the override line under it
                continue;
            }
            out.add(lines.get(i));
        }
        return out;
    }

    private List<String> read() throws IOException {
        return Files.isRegularFile(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
    }

    private void write(List<String> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        force(tmp);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void force(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }
}

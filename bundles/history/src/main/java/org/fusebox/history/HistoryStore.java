package org.fusebox.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rrd4j.ConsolFun;
import org.rrd4j.DsType;
import org.rrd4j.core.ArcDef;
import org.rrd4j.core.DsDef;
import org.rrd4j.core.FetchData;
import org.rrd4j.core.FetchRequest;
import org.rrd4j.core.RrdBackendFactory;
import org.rrd4j.core.RrdDb;
import org.rrd4j.core.RrdDef;
import org.rrd4j.core.RrdRandomAccessFileBackendFactory;
import org.rrd4j.core.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The round-robin file: one rrd4j database with a data source per series and, for each {@link Resolution}, an
 * AVERAGE and a MAX archive. Its size is fixed when it is created and never grows. A file that cannot be read,
 * or whose layout is not the one this version writes, is moved aside (never deleted) and a new one started;
 * {@link #movedAside()} says so for the health indicator. Thread-safe: the recorder writes while the API reads.
 */
final class HistoryStore implements AutoCloseable {

    static final String FILE_NAME = "site.rrd";
    /** A gap longer than this between two samples is recorded as unknown, not interpolated. */
    static final long HEARTBEAT_SECONDS = 60;
    /** A point is known when at least half of its base steps are. */
    static final double XFF = 0.5;
    static final ConsolFun[] CONSOLIDATIONS = { ConsolFun.AVERAGE, ConsolFun.MAX };

    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final SeriesCatalogue catalogue;
    private final RrdDb db;
    private final String movedAside;
    private long lastUpdate;

    private HistoryStore(Path file, SeriesCatalogue catalogue, RrdDb db, String movedAside) throws IOException {
        this.file = file;
        this.catalogue = catalogue;
        this.db = db;
        this.movedAside = movedAside;
        this.lastUpdate = db.getLastUpdateTime();
    }

    /**
     * Opens {@code dir/site.rrd}, or creates it. An unreadable file, one of another layout (another number of charger
     * series, say) or one of the wrong size is renamed to {@code site.rrd.corrupt-<UTC time>} first.
     *
     * @param now the time a new file starts at (its first sample must be later)
     */
    static HistoryStore open(Path dir, SeriesCatalogue catalogue, Instant now) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        RrdBackendFactory backend = new RrdRandomAccessFileBackendFactory();
        RrdDef wanted = definition(file, catalogue, now.getEpochSecond() - Resolution.STEP_SECONDS);
        String aside = null;
        if (Files.exists(file)) {
            String problem;
            RrdDb existing = null;
            try {
                existing = RrdDb.getBuilder().setPath(file.toString()).setBackendFactory(backend).build();
                problem = layoutProblem(existing.getRrdDef(), wanted, Files.size(file));
                if (problem == null) {
                    return new HistoryStore(file, catalogue, existing, null);
                }
            } catch (IOException | RuntimeException e) {
                problem = "it cannot be read (" + e + ")";
            }
            if (existing != null) {
                closeQuietly(existing);
            }
            Path target = file.resolveSibling(FILE_NAME + ".corrupt-" + SUFFIX.format(now));
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            aside = "history file " + file + " was moved to " + target + " because " + problem
                    + "; a new file was started, the history before " + now + " is in the moved file only";
            LOG.error(aside);
        }
        RrdDb created = RrdDb.getBuilder().setRrdDef(wanted).setBackendFactory(backend).build();
        LOG.info("History file {} created: {} series, {} bytes", file, catalogue.all().size(), Files.size(file));
        return new HistoryStore(file, catalogue, created, aside);
    }

    /** The layout this version writes; {@code start} is the time before the first sample. */
    static RrdDef definition(Path file, SeriesCatalogue catalogue, long start) {
        RrdDef def = new RrdDef(file.toString(), start, Resolution.STEP_SECONDS);
        for (Series s : catalogue.all()) {
            def.addDatasource(s.dataSource(), DsType.GAUGE, HEARTBEAT_SECONDS, s.min(), s.max());
        }
        for (ConsolFun f : CONSOLIDATIONS) {
            for (Resolution r : Resolution.values()) {
                def.addArchive(f, XFF, r.steps, r.rows);
            }
        }
        return def;
    }

    /** Null when {@code found} is what this version writes, else why not. */
    static String layoutProblem(RrdDef found, RrdDef wanted, long fileSize) {
        if (found.getStep() != wanted.getStep()) {
            return "its step is " + found.getStep() + " s, not " + wanted.getStep() + " s";
        }
        List<String> foundDs = Arrays.stream(found.getDsDefs()).map(HistoryStore::describe).toList();
        List<String> wantedDs = Arrays.stream(wanted.getDsDefs()).map(HistoryStore::describe).toList();
        if (!foundDs.equals(wantedDs)) {
            return "its series are " + names(found) + ", not " + names(wanted);
        }
        List<String> foundArc = Arrays.stream(found.getArcDefs()).map(HistoryStore::describe).toList();
        List<String> wantedArc = Arrays.stream(wanted.getArcDefs()).map(HistoryStore::describe).toList();
        if (!foundArc.equals(wantedArc)) {
            return "its archives are " + foundArc + ", not " + wantedArc;
        }
        if (fileSize != wanted.getEstimatedSize()) {
            return "it has " + fileSize + " bytes where its layout needs " + wanted.getEstimatedSize() + " (truncated?)";
        }
        return null;
    }

    private static List<String> names(RrdDef def) {
        return Arrays.stream(def.getDsDefs()).map(DsDef::getDsName).toList();
    }

    private static String describe(DsDef d) {
        return d.getDsName() + "/" + d.getDsType() + "/" + d.getHeartbeat() + "/" + d.getMinValue() + "/" + d.getMaxValue();
    }

    private static String describe(ArcDef a) {
        return a.getConsolFun() + "x" + a.getSteps() + "x" + a.getRows() + "@" + a.getXff();
    }

    /** The size on disk of a file with this catalogue; it never changes. */
    static long sizeOf(SeriesCatalogue catalogue) {
        return definition(Path.of(FILE_NAME), catalogue, 0).getEstimatedSize();
    }

    Path file() {
        return file;
    }

    SeriesCatalogue catalogue() {
        return catalogue;
    }

    /** Why the previous file was moved aside at open, empty when it was not. */
    Optional<String> movedAside() {
        return Optional.ofNullable(movedAside);
    }

    /**
     * Records one sample (values in the catalogue's order, NaN for unknown).
     *
     * @return false when a sample for that second (or a later one) is stored already: rrd4j takes one per second
     */
    synchronized boolean record(long epochSecond, double[] values) throws IOException {
        if (values.length != catalogue.all().size()) {
            throw new IllegalArgumentException(values.length + " values for " + catalogue.all().size() + " series");
        }
        if (epochSecond <= lastUpdate) {
            return false;
        }
        Sample sample = db.createSample(epochSecond);
        List<Series> all = catalogue.all();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                sample.setValue(all.get(i).dataSource(), values[i]);
            }
        }
        sample.update();
        lastUpdate = epochSecond;
        return true;
    }

    synchronized long lastUpdate() {
        return lastUpdate;
    }

    /** The points of the given series between {@code from} and {@code to} (epoch seconds), at one resolution. */
    synchronized Points fetch(List<Series> series, ConsolFun consolidation, Resolution resolution, long from, long to)
            throws IOException {
        long res = resolution.seconds();
        long start = Math.floorDiv(from, res) * res;
        long end = Math.floorDiv(to, res) * res;
        FetchRequest request = db.createFetchRequest(consolidation, start, end, res);
        request.setFilter(series.stream().map(Series::dataSource).toArray(String[]::new));
        FetchData data = request.fetchData();
        long[] stamps = data.getTimestamps();
        // rrd4j answers from the archive that best covers the range; keep exactly the rows asked for
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < stamps.length; i++) {
            if (stamps[i] >= start && stamps[i] <= end) {
                keep.add(i);
            }
        }
        long[] t = new long[keep.size()];
        double[][] v = new double[series.size()][keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            t[k] = stamps[keep.get(k)];
        }
        for (int s = 0; s < series.size(); s++) {
            double[] all = data.getValues(series.get(s).dataSource());
            for (int k = 0; k < keep.size(); k++) {
                v[s][k] = all[keep.get(k)];
            }
        }
        return new Points(data.getArcStep(), t, v);
    }

    /** What a fetch found: the archive's step, the timestamps, and per series one value per timestamp (NaN: unknown). */
    record Points(long step, long[] timestamps, double[][] values) {
    }

    @Override
    public synchronized void close() {
        closeQuietly(db);
    }

    private static void closeQuietly(RrdDb db) {
        try {
            db.close();
        } catch (IOException e) {
            LOG.warn("History file could not be closed: {}", e.toString());
        }
    }
}

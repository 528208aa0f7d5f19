package org.fusebox.forecast.simple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;

/**
 * The forecaster without OSGi: answers from a configured curve and a learned weekday profile, and learns
 * from snapshots. {@link #forecast} reads only immutable state, so it never waits for the learner.
 */
final class ProfileForecaster {

    static final Duration QUARTER = Duration.ofMinutes(15);

    private final ForecastKind kind;
    private final String id;
    private volatile ForecastSettings settings;
    private volatile WeekdayProfile profile = WeekdayProfile.empty();

    // Learner state, touched only under the lock by observe().
    private final Object learning = new Object();
    private long bucket = Long.MIN_VALUE;
    private double bucketSum;
    private int bucketSamples;
    private Instant lastSample = Instant.MIN;
    /** What the last snapshot lacked (null: nothing), and since when (site time): health reads them. */
    private volatile String gap;
    private volatile Instant gapSince;

    ProfileForecaster(ForecastKind kind, String id, ForecastSettings settings) {
        this.kind = kind;
        this.id = id;
        this.settings = settings;
    }

    ForecastKind kind() {
        return kind;
    }

    String id() {
        return id;
    }

    ForecastSettings settings() {
        return settings;
    }

    void settings(ForecastSettings s) {
        settings = s;
    }

    WeekdayProfile profile() {
        return profile;
    }

    /**
     * Quarter-hour slots covering {@code [from, to)}: the learned average where the profile knows the
     * weekday and quarter (unless the method is the curve alone), else the configured curve; a quarter
     * neither knows is left out.
     */
    PowerForecast forecast(Instant from, Instant to) {
        ForecastSettings s = settings;
        WeekdayProfile p = profile;
        List<PowerSlot> slots = new ArrayList<>();
        if (!from.isBefore(to)) {
            return new PowerForecast(kind, id, slots);
        }
        long step = QUARTER.toSeconds();
        for (long q = Math.floorDiv(from.getEpochSecond(), step); Instant.ofEpochSecond(q * step).isBefore(to); q++) {
            Instant start = Instant.ofEpochSecond(q * step);
            ZonedDateTime local = start.atZone(s.zone());
            int quarter = DailyCurve.quarterOf(local.toLocalTime());
            int cell = WeekdayProfile.cell(local.getDayOfWeek(), quarter);
            Double watts = null;
            if (s.method() == ForecastSettings.Method.WEEKDAY_PROFILE && p.known(cell)) {
                watts = p.average(cell);
            } else if (s.curve() != null) {
                watts = s.curve().watts(quarter);
            }
            if (watts != null) {
                slots.add(new PowerSlot(start, QUARTER, Power.ofWatts(watts)));
            }
        }
        return new PowerForecast(kind, id, slots);
    }

    /**
     * Takes one snapshot's measurement into the quarter-hour it falls in. When a later quarter-hour
     * starts, the finished one becomes one more value of its weekday cell.
     *
     * @return whether the profile changed (time to save it)
     */
    boolean observe(SiteSnapshot site) {
        SiteMeasurement.Sample sample = SiteMeasurement.sample(kind, site);
        OptionalDouble value = sample.watts();
        synchronized (learning) {
            Instant t = site.timestamp();
            if (!t.isAfter(lastSample) && t.equals(lastSample)) {
                return false; // the same cycle seen again
            }
            if (sample.gap() == null) {
                gap = null;
                gapSince = null;
            } else if (!sample.gap().equals(gap)) {
                gap = sample.gap();
                gapSince = t;
            }
            if (value.isEmpty() || !t.isAfter(lastSample)) {
                return false; // nothing measurable, or a cycle older than one seen
            }
            lastSample = t;
            long q = Math.floorDiv(t.getEpochSecond(), QUARTER.toSeconds());
            boolean changed = false;
            if (q != bucket) {
                changed = fold();
                bucket = q;
            }
            bucketSum += value.getAsDouble();
            bucketSamples++;
            return changed;
        }
    }

    /** What the inputs lack now, with since when in site time, or null when nothing is missing. */
    String gap() {
        String g = gap;
        Instant since = gapSince;
        return g == null ? null : g + " (since " + since + ")";
    }

    /**
     * While nothing is learned yet and no curve is configured the forecast is empty (planners then say
     * "no PV forecast"): when the first quarter-hour will be learned, in site time, else null.
     */
    Instant warmingUpUntil() {
        if (profile.knownCells() > 0 || settings.curve() != null) {
            return null;
        }
        synchronized (learning) {
            return bucket == Long.MIN_VALUE ? null : Instant.ofEpochSecond((bucket + 1) * QUARTER.toSeconds());
        }
    }

    /** Ends the quarter-hour in progress without waiting for the next (used when stopping). */
    boolean flush() {
        synchronized (learning) {
            boolean changed = fold();
            bucket = Long.MIN_VALUE;
            return changed;
        }
    }

    private boolean fold() {
        if (bucketSamples == 0) {
            return false;
        }
        ForecastSettings s = settings;
        ZonedDateTime local = Instant.ofEpochSecond(bucket * QUARTER.toSeconds()).atZone(s.zone());
        int cell = WeekdayProfile.cell(local.getDayOfWeek(), DailyCurve.quarterOf(local.toLocalTime()));
        profile = profile.with(cell, bucketSum / bucketSamples, s.memoryWeeks());
        bucketSum = 0;
        bucketSamples = 0;
        return true;
    }

    /** Writes the profile to the store file atomically; does nothing without one. */
    void save() throws IOException {
        Path file = settings.store();
        if (file == null) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, profile.write(kind), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads the profile from the store file, if there is one.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException if it is not a profile of this kind (the profile stays as it was)
     */
    boolean load() throws IOException {
        Path file = settings.store();
        if (file == null || !Files.exists(file)) {
            return false;
        }
        profile = WeekdayProfile.read(Files.readString(file, StandardCharsets.UTF_8), kind);
        return true;
    }
}

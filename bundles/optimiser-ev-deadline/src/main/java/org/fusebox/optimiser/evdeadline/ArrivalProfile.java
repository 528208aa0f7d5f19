package org.fusebox.optimiser.evdeadline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * What past sessions say about arrivals, per weekday and quarter hour of the site's local day: how many EVs
 * plugged in, the energy they took, how long they stayed and how much they could draw. From it, the EVs
 * expected to arrive between two instants.
 *
 * <p>Bounded: sessions older than the learning window are forgotten, and at most {@link #MAX_SESSIONS}
 * are kept. The days a weekday was observed are counted from {@link #since()}, the day learning started,
 * so that a weekday without sessions lowers the expectation instead of being ignored.
 */
final class ArrivalProfile {

    /** One session that ended, in the site's local time. */
    record Session(LocalDate date, int minuteOfDay, double energyKwh, int stayMinutes, double maxKw) {

        Session {
            if (minuteOfDay < 0 || minuteOfDay >= 24 * 60 || stayMinutes < 0 || !(energyKwh >= 0) || !(maxKw >= 0)
                    || !Double.isFinite(energyKwh) || !Double.isFinite(maxKw)) {
                throw new IllegalArgumentException("bad session: " + date + " minute " + minuteOfDay + ", " + energyKwh
                        + " kWh, " + stayMinutes + " min, " + maxKw + " kW");
            }
        }
    }

    static final int MAX_SESSIONS = 100_000;
    static final int BIN_MINUTES = 15;
    private static final int BINS = 24 * 60 / BIN_MINUTES;
    private static final String HEADER = "# fusebox-optimiser-ev-deadline arrivals v1";

    private final LocalDate since;
    private final Deque<Session> sessions = new ArrayDeque<>();

    ArrivalProfile(LocalDate since) {
        this.since = since;
    }

    LocalDate since() {
        return since;
    }

    synchronized List<Session> sessions() {
        return List.copyOf(sessions);
    }

    /** Learns one session that ended; sessions before {@link #since()} are not counted (their day was not observed whole). */
    synchronized void add(Instant pluggedIn, Instant left, double energyKwh, double maxKw, ZoneId zone) {
        ZonedDateTime local = pluggedIn.atZone(zone);
        if (local.toLocalDate().isBefore(since)) {
            return;
        }
        long stay = Math.max(0, Duration.between(pluggedIn, left).toMinutes());
        sessions.addLast(new Session(local.toLocalDate(), local.getHour() * 60 + local.getMinute(), Math.max(0, energyKwh),
                (int) Math.min(Integer.MAX_VALUE, stay), Math.max(0, maxKw)));
        while (sessions.size() > MAX_SESSIONS) {
            sessions.removeFirst();
        }
    }

    /** Forgets the sessions of days before {@code first}. */
    synchronized void forgetBefore(LocalDate first) {
        sessions.removeIf(s -> s.date().isBefore(first));
    }

    /**
     * The EVs expected to plug in after {@code now} and before {@code until}, one {@link ExpectedArrival} per
     * quarter hour in which past sessions of that weekday arrived: on average per observed day, their energy
     * and the power they could draw (each plus the margin), leaving after their average stay. A weekday with
     * fewer than the minimum sessions in the window gets none. The quarter hour of now counts for what is
     * left of it. Local times that do not exist (the hour skipped when clocks go forward) are skipped.
     */
    synchronized List<ExpectedArrival> expected(Instant now, Instant until, ArrivalSettings settings, ZoneId zone) {
        LocalDate today = now.atZone(zone).toLocalDate();
        LocalDate first = today.minusWeeks(settings.weeks());
        if (first.isBefore(since)) {
            first = since;
        }
        int[] days = new int[7];
        for (LocalDate d = first; d.isBefore(today); d = d.plusDays(1)) {
            days[d.getDayOfWeek().ordinal()]++;
        }
        int[] count = new int[7];
        int[][] n = new int[7][BINS];
        double[][] energy = new double[7][BINS];
        double[][] stay = new double[7][BINS];
        double[][] power = new double[7][BINS];
        for (Session s : sessions) {
            if (s.date().isBefore(first) || !s.date().isBefore(today)) {
                continue;
            }
            int w = s.date().getDayOfWeek().ordinal();
            int b = s.minuteOfDay() / BIN_MINUTES;
            count[w]++;
            n[w][b]++;
            energy[w][b] += s.energyKwh();
            stay[w][b] += s.stayMinutes();
            power[w][b] += s.maxKw();
        }
        List<ExpectedArrival> out = new ArrayList<>();
        double more = 1 + settings.margin();
        Duration bin = Duration.ofMinutes(BIN_MINUTES);
        for (LocalDate d = today; !d.atStartOfDay(zone).toInstant().isAfter(until); d = d.plusDays(1)) {
            DayOfWeek day = d.getDayOfWeek();
            int w = day.ordinal();
            if (count[w] < settings.minObservations() || days[w] == 0) {
                continue;
            }
            for (int b = 0; b < BINS; b++) {
                if (n[w][b] == 0) {
                    continue;
                }
                LocalTime at = LocalTime.of(b * BIN_MINUTES / 60, b * BIN_MINUTES % 60);
                ZonedDateTime z = ZonedDateTime.of(d, at, zone);
                if (!z.toLocalTime().equals(at)) {
                    continue; // skipped by the clock change
                }
                Instant start = z.toInstant();
                Instant end = start.plus(bin);
                if (!end.isAfter(now) || !start.isBefore(until)) {
                    continue;
                }
                Instant arrival = start.isBefore(now) ? now : start;
                double share = Duration.between(arrival, end).toNanos() / (double) bin.toNanos();
                double perDay = share * more / days[w];
                Instant departure = start.plus(Duration.ofSeconds(Math.round(stay[w][b] / n[w][b] * 60)));
                if (!departure.isAfter(arrival)) {
                    continue;
                }
                out.add(new ExpectedArrival(String.format(Locale.ROOT, "expected %s %s", day.toString().substring(0, 3), at),
                        arrival, departure, energy[w][b] * perDay, power[w][b] * perDay));
            }
        }
        return out;
    }

    /** Writes the profile to {@code file}: to a temporary file moved over the old one, so a crash leaves one whole. */
    synchronized void save(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(64 + sessions.size() * 40);
        sb.append(HEADER).append('\n').append("since;").append(since).append('\n');
        for (Session s : sessions) {
            sb.append(s.date()).append(';').append(s.minuteOfDay()).append(';').append(s.energyKwh()).append(';')
                    .append(s.stayMinutes()).append(';').append(s.maxKw()).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "arrivals-", ".tmp");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The profile in {@code file}, or a new one learning from {@code today} when there is none.
     *
     * @throws IOException when the file cannot be read or is damaged anywhere (it is refused whole)
     */
    static ArrivalProfile load(Path file, LocalDate today) throws IOException {
        if (!Files.exists(file)) {
            return new ArrivalProfile(today);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("since;")) {
            throw new IOException(file + " is not an arrival profile (no header)");
        }
        ArrivalProfile p;
        try {
            p = new ArrivalProfile(LocalDate.parse(lines.get(1).substring("since;".length())));
        } catch (RuntimeException e) {
            throw new IOException(file + " line 2 is damaged: " + e.getMessage());
        }
        for (int i = 2; i < lines.size(); i++) {
            String[] f = lines.get(i).split(";");
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 fields, got " + f.length);
                }
                p.sessions.addLast(new Session(LocalDate.parse(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                        Integer.parseInt(f[3]), Double.parseDouble(f[4])));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + (i + 1) + " is damaged: " + e.getMessage());
            }
            if (p.sessions.size() > MAX_SESSIONS) {
                p.sessions.removeFirst();
            }
        }
        return p;
    }
}

package org.fusebox.forecast.simple;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.Locale;
import org.fusebox.api.forecast.ForecastKind;

/**
 * What was measured, per weekday and quarter-hour of local time: an average and how many quarter-hours it
 * holds. Immutable, so forecasts read it without locking while the learner replaces it.
 *
 * <p>The count is capped at {@code memoryWeeks}: past the cap each new quarter-hour takes a fixed share
 * of 1/memoryWeeks, so the profile follows a site that changes (a new heat pump, the seasons) instead of
 * averaging over its whole life.
 */
final class WeekdayProfile {

    static final int CELLS = 7 * DailyCurve.QUARTERS;
    private static final String HEADER = "fusebox-weekday-profile 1";

    private final double[] averages;
    private final int[] counts;

    private WeekdayProfile(double[] averages, int[] counts) {
        this.averages = averages;
        this.counts = counts;
    }

    static WeekdayProfile empty() {
        return new WeekdayProfile(new double[CELLS], new int[CELLS]);
    }

    static int cell(DayOfWeek day, int quarter) {
        return (day.getValue() - 1) * DailyCurve.QUARTERS + quarter;
    }

    boolean known(int cell) {
        return counts[cell] > 0;
    }

    double average(int cell) {
        return averages[cell];
    }

    int count(int cell) {
        return counts[cell];
    }

    int knownCells() {
        return (int) Arrays.stream(counts).filter(c -> c > 0).count();
    }

    /** A profile with one more quarter-hour of {@code watts} in {@code cell}. */
    WeekdayProfile with(int cell, double watts, int memoryWeeks) {
        double[] a = averages.clone();
        int[] n = counts.clone();
        n[cell] = Math.min(n[cell] + 1, memoryWeeks);
        a[cell] += (watts - a[cell]) / n[cell];
        return new WeekdayProfile(a, n);
    }

    String write(ForecastKind kind) {
        StringBuilder out = new StringBuilder(HEADER).append('\n').append("kind ").append(kind).append('\n');
        for (DayOfWeek day : DayOfWeek.values()) {
            out.append(day);
            for (int q = 0; q < DailyCurve.QUARTERS; q++) {
                int c = cell(day, q);
                out.append(' ').append(String.format(Locale.ROOT, "%.1f:%d", averages[c], counts[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException saying what is wrong with the text */
    static WeekdayProfile read(String text, ForecastKind kind) {
        double[] a = new double[CELLS];
        int[] n = new int[CELLS];
        try (BufferedReader in = new BufferedReader(new StringReader(text))) {
            if (!HEADER.equals(in.readLine())) {
                throw new IllegalArgumentException("not a weekday profile (first line must be '" + HEADER + "')");
            }
            String kindLine = in.readLine();
            if (!("kind " + kind).equals(kindLine)) {
                throw new IllegalArgumentException("profile is for '" + kindLine + "', expected kind " + kind);
            }
            for (DayOfWeek day : DayOfWeek.values()) {
                String line = in.readLine();
                String[] parts = line == null ? new String[0] : line.trim().split(" ");
                if (parts.length != DailyCurve.QUARTERS + 1 || !parts[0].equals(day.toString())) {
                    throw new IllegalArgumentException("line for " + day + " must hold the day and 96 average:count pairs");
                }
                for (int q = 0; q < DailyCurve.QUARTERS; q++) {
                    String[] pair = parts[q + 1].split(":");
                    int c = cell(day, q);
                    try {
                        a[c] = Double.parseDouble(pair[0]);
                        n[c] = Integer.parseInt(pair[1]);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(day + " quarter " + q + ": bad entry '" + parts[q + 1] + "'");
                    }
                    if (!Double.isFinite(a[c]) || n[c] < 0) {
                        throw new IllegalArgumentException(day + " quarter " + q + ": bad entry '" + parts[q + 1] + "'");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new WeekdayProfile(a, n);
    }
}

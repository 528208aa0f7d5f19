package org.fusebox.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.fusebox.api.grid.GridSignalSource;
import org.fusebox.api.site.GridLimits;
import org.fusebox.api.units.Power;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid side's capacity limits in force, from every {@link GridSignalSource}. Asked once per cycle; the
 * lowest import and the lowest export limit active now win. A limit is never lifted by accident: a source
 * that throws or answers nothing usable keeps its last good signals, and a source that leaves (an upgrade, a
 * crash) keeps them too until they end; one "until further notice" is held for {@code holdAfterLeaving}. When a
 * source comes back under the same id, what it sends for a signal id replaces what its predecessor left for it;
 * the predecessor's other signals stay held (a restarted connector may not have heard its VTN yet).
 * Not thread-safe: the control cycle is its only caller, and adding and removing sources is synchronised here.
 */
final class GridLimitBook {

    private static final Logger LOG = LoggerFactory.getLogger(GridLimitBook.class);

    /** Signals of a source: the last good answer, and when a departed source's until-further-notice ones end. */
    private static final class Entry {
        final GridSignalSource source;
        final String id;
        List<GridSignal> last = List.of();
        Instant leftAt;
        String problem = "";

        Entry(GridSignalSource source, String id) {
            this.source = source;
            this.id = id;
        }
    }

    private final Duration holdAfterLeaving;
    private final Map<GridSignalSource, Entry> present = new LinkedHashMap<>();
    private final List<Entry> departed = new ArrayList<>();
    private GridLimits inForce = GridLimits.NONE;

    GridLimitBook(Duration holdAfterLeaving) {
        this.holdAfterLeaving = holdAfterLeaving;
    }

    synchronized void add(GridSignalSource source) {
        String id;
        try {
            id = String.valueOf(source.id());
        } catch (RuntimeException | LinkageError e) {
            id = source.getClass().getName();
        }
        present.put(source, new Entry(source, id));
        LOG.info("Grid signal source {} added", id);
    }

    synchronized void remove(GridSignalSource source, Instant now) {
        Entry e = present.remove(source);
        if (e == null) {
            return;
        }
        e.leftAt = now;
        if (e.last.stream().anyMatch(s -> s.kind().isCapacityLimit())) {
            departed.add(e);
            LOG.warn("Grid signal source {} left; its capacity limits stay in force until they end, those until further notice for {}",
                    e.id, holdAfterLeaving);
        } else {
            LOG.info("Grid signal source {} left", e.id);
        }
    }

    /** The limits in force at {@code now}; asks every present source for its signals. */
    synchronized GridLimits limitsAt(Instant now) {
        List<GridSignal> active = new ArrayList<>();
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (Entry e : present.values()) {
            refresh(e);
            collect(e, now, false, active);
            e.last.forEach(sig -> answered.add(e.id + "\u0000" + sig.id()));
        }
        departed.removeIf(e -> {
            List<GridSignal> still = new ArrayList<>();
            collect(e, now, true, still);
            // a source back under the same id speaks again for each signal it sends; the rest stays held
            still.removeIf(sig -> answered.contains(e.id + "\u0000" + sig.id()));
            active.addAll(still);
            return e.last.stream().noneMatch(sig -> mayStillApply(e, sig, now));
        });
        GridLimits limits = merge(active);
        if (!limits.equals(inForce)) {
            LOG.info("Grid limits now: import {}, export {}{}", describe(limits.importLimit()), describe(limits.exportLimit()),
                    limits.reason().isEmpty() ? "" : " (" + limits.reason() + ")");
            inForce = limits;
        }
        return limits;
    }

    /**
     * The price signals (PRICE, EXPORT_PRICE) of the present sources, as they last answered {@link #limitsAt},
     * that are in force at some time in [{@code from}, {@code to}). Prices are not held after a source leaves: they
     * are not a safety matter, and a price nobody stands for any more is not what the site pays.
     */
    synchronized List<GridSignal> pricesBetween(Instant from, Instant to) {
        List<GridSignal> out = new ArrayList<>();
        for (Entry e : present.values()) {
            for (GridSignal s : e.last) {
                boolean price = s.kind() == GridSignalKind.PRICE || s.kind() == GridSignalKind.EXPORT_PRICE;
                if (price && s.start().isBefore(to) && (s.end() == null || s.end().isAfter(from))) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** What each source's last answer was refused for, by source id; empty when all answered well. */
    synchronized Map<String, String> problems() {
        Map<String, String> out = new LinkedHashMap<>();
        present.values().stream().filter(e -> !e.problem.isEmpty()).forEach(e -> out.put(e.id, e.problem));
        return out;
    }

    private static void refresh(Entry e) {
        List<GridSignal> answer;
        try {
            answer = e.source.signals();
        } catch (RuntimeException | LinkageError ex) {
            setProblem(e, "signals() failed: " + ex + "; its last signals stay in force");
            return;
        }
        if (answer == null) {
            setProblem(e, "signals() answered null; its last signals stay in force");
            return;
        }
        List<GridSignal> good = new ArrayList<>(answer.size());
        for (GridSignal s : answer) {
            if (s != null) {
                good.add(s);
            }
        }
        if (good.size() < answer.size()) {
            setProblem(e, (answer.size() - good.size()) + " null signal(s) ignored");
        } else {
            setProblem(e, "");
        }
        e.last = List.copyOf(good);
    }

    private static void setProblem(Entry e, String problem) {
        if (!problem.isEmpty() && !problem.equals(e.problem)) {
            LOG.warn("Grid signal source {}: {}", e.id, problem);
        }
        e.problem = problem;
    }

    private void collect(Entry e, Instant now, boolean leaving, List<GridSignal> into) {
        for (GridSignal s : e.last) {
            if (!s.kind().isCapacityLimit()) {
                continue;
            }
            if (leaving && s.end() == null && !now.isBefore(e.leftAt.plus(holdAfterLeaving))) {
                continue;
            }
            if (s.isActiveAt(now)) {
                into.add(s);
            }
        }
    }

    /** Whether a departed source's capacity signal is in force now or later. */
    private boolean mayStillApply(Entry e, GridSignal s, Instant now) {
        if (!s.kind().isCapacityLimit()) {
            return false;
        }
        Instant end = s.end() != null ? s.end() : e.leftAt.plus(holdAfterLeaving);
        return now.isBefore(end);
    }

    static GridLimits merge(List<GridSignal> active) {
        GridSignal imp = null;
        GridSignal exp = null;
        for (GridSignal s : active) {
            if (s.kind() == GridSignalKind.IMPORT_CAPACITY_LIMIT && (imp == null || s.value() < imp.value())) {
                imp = s;
            } else if (s.kind() == GridSignalKind.EXPORT_CAPACITY_LIMIT && (exp == null || s.value() < exp.value())) {
                exp = s;
            }
        }
        if (imp == null && exp == null) {
            return GridLimits.NONE;
        }
        List<String> why = new ArrayList<>();
        if (imp != null) {
            why.add("import " + describe(Power.ofWatts(imp.value())) + " from " + imp.source() + " " + imp.id() + until(imp));
        }
        if (exp != null) {
            why.add("export " + describe(Power.ofWatts(exp.value())) + " from " + exp.source() + " " + exp.id() + until(exp));
        }
        return new GridLimits(imp == null ? null : Power.ofWatts(imp.value()), exp == null ? null : Power.ofWatts(exp.value()),
                String.join("; ", why));
    }

    private static String until(GridSignal s) {
        return s.end() == null ? " until further notice" : " until " + s.end();
    }

    private static String describe(Power p) {
        return p == null ? "none" : String.format(Locale.ROOT, "%.1f kW", p.kilowatts());
    }
}

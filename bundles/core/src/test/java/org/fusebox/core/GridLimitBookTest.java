package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.fusebox.api.grid.GridSignalSource;
import org.fusebox.api.site.GridLimits;
import org.junit.jupiter.api.Test;

class GridLimitBookTest {

    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration HOLD = Duration.ofHours(1);

    private static GridSignal limit(String id, GridSignalKind kind, double watts, Instant start, Instant end) {
        return new GridSignal(id, "vtn", kind, start, end, watts, "", "");
    }

    private static GridSignalSource source(String id, Supplier<List<GridSignal>> signals) {
        return new GridSignalSource() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public List<GridSignal> signals() {
                return signals.get();
            }
        };
    }

    @Test
    void theLowestActiveLimitOfEachKindWinsAndOnlyWhileItIsInForce() {
        GridLimitBook book = new GridLimitBook(HOLD);
        book.add(source("a", () -> List.of(
                limit("ev1", GridSignalKind.IMPORT_CAPACITY_LIMIT, 20_000, T0, T0.plusSeconds(3600)),
                limit("ev2", GridSignalKind.IMPORT_CAPACITY_LIMIT, 9_000, T0.plusSeconds(600), T0.plusSeconds(1200)),
                limit("ev3", GridSignalKind.EXPORT_CAPACITY_LIMIT, 0, T0.plusSeconds(60), null),
                new GridSignal("p", "vtn", GridSignalKind.PRICE, T0, null, 250, "EUR", ""))));
        book.add(source("b", () -> List.of(limit("x", GridSignalKind.IMPORT_CAPACITY_LIMIT, 15_000, T0.plusSeconds(900), T0.plusSeconds(1800)))));

        assertThat(book.limitsAt(T0.minusSeconds(1))).isEqualTo(GridLimits.NONE);
        GridLimits atStart = book.limitsAt(T0);
        assertThat(atStart.importLimit().watts()).isEqualTo(20_000);
        assertThat(atStart.exportLimit()).isNull();
        assertThat(book.limitsAt(T0.plusSeconds(60)).exportLimit().watts()).isZero();
        assertThat(book.limitsAt(T0.plusSeconds(1000)).importLimit().watts()).isEqualTo(9_000);
        assertThat(book.limitsAt(T0.plusSeconds(1000)).reason()).contains("ev2").contains("9.0 kW");
        // ev2 ends (exclusive) at 1200 s: b's 15 kW is the lowest left
        assertThat(book.limitsAt(T0.plusSeconds(1200)).importLimit().watts()).isEqualTo(15_000);
        assertThat(book.limitsAt(T0.plusSeconds(1800)).importLimit().watts()).isEqualTo(20_000);
        assertThat(book.limitsAt(T0.plusSeconds(3600)).importLimit()).isNull();
        assertThat(book.limitsAt(T0.plusSeconds(3600)).exportCap()).isPresent();
    }

    @Test
    void aSourceThatThrowsOrAnswersNullKeepsItsLastSignals() {
        GridLimitBook book = new GridLimitBook(HOLD);
        List<Object> answers = new ArrayList<>(List.of(
                List.of(limit("ev", GridSignalKind.IMPORT_CAPACITY_LIMIT, 7_000, T0, T0.plusSeconds(600))),
                new IllegalStateException("VTN parser bug"), "null"));
        book.add(source("flaky", () -> {
            Object next = answers.isEmpty() ? "null" : answers.remove(0);
            if (next instanceof RuntimeException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<GridSignal> l = next instanceof List<?> list ? (List<GridSignal>) list : null;
            return l;
        }));

        assertThat(book.limitsAt(T0).importLimit().watts()).isEqualTo(7_000);
        assertThat(book.limitsAt(T0.plusSeconds(1)).importLimit().watts()).isEqualTo(7_000);
        assertThat(book.problems()).containsKey("flaky");
        assertThat(book.problems().get("flaky")).contains("VTN parser bug");
        assertThat(book.limitsAt(T0.plusSeconds(2)).importLimit().watts()).isEqualTo(7_000);
        assertThat(book.problems().get("flaky")).contains("null");
        // the kept signal still ends when it ends
        assertThat(book.limitsAt(T0.plusSeconds(600))).isEqualTo(GridLimits.NONE);
    }

    @Test
    void aCancelledSignalIsGoneAtOnce() {
        GridLimitBook book = new GridLimitBook(HOLD);
        List<GridSignal> current = new ArrayList<>(List.of(limit("ev", GridSignalKind.IMPORT_CAPACITY_LIMIT, 5_000, T0, null)));
        book.add(source("vtn", () -> List.copyOf(current)));
        assertThat(book.limitsAt(T0).importLimit().watts()).isEqualTo(5_000);
        current.clear();
        assertThat(book.limitsAt(T0.plusSeconds(1))).isEqualTo(GridLimits.NONE);
    }

    @Test
    void aSourceThatLeavesKeepsItsLimitsUntilTheyEndAndOnesUntilFurtherNoticeForTheHold() {
        GridLimitBook book = new GridLimitBook(HOLD);
        GridSignalSource s = source("vtn", () -> List.of(
                limit("timed", GridSignalKind.IMPORT_CAPACITY_LIMIT, 6_000, T0, T0.plusSeconds(600)),
                limit("open", GridSignalKind.EXPORT_CAPACITY_LIMIT, 1_000, T0, null),
                limit("later", GridSignalKind.IMPORT_CAPACITY_LIMIT, 3_000, T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)))));
        book.add(s);
        book.limitsAt(T0);
        book.remove(s, T0.plusSeconds(10));

        GridLimits after = book.limitsAt(T0.plusSeconds(20));
        assertThat(after.importLimit().watts()).isEqualTo(6_000);
        assertThat(after.exportLimit().watts()).isEqualTo(1_000);
        assertThat(book.limitsAt(T0.plusSeconds(600)).importLimit()).isNull();
        assertThat(book.limitsAt(T0.plusSeconds(600)).exportLimit().watts()).isEqualTo(1_000);
        // the open-ended one is dropped once the hold after leaving has passed; a future one still comes into force
        assertThat(book.limitsAt(T0.plusSeconds(10).plus(HOLD)).exportLimit()).isNull();
        assertThat(book.limitsAt(T0.plus(Duration.ofHours(2))).importLimit().watts()).isEqualTo(3_000);
        assertThat(book.limitsAt(T0.plus(Duration.ofHours(3)))).isEqualTo(GridLimits.NONE);
    }

    @Test
    void aSourceBackAfterAnUpgradeSpeaksForItselfAgain() {
        GridLimitBook book = new GridLimitBook(HOLD);
        GridSignalSource old = source("vtn", () -> List.of(limit("ev", GridSignalKind.IMPORT_CAPACITY_LIMIT, 4_000, T0, null)));
        book.add(old);
        book.limitsAt(T0);
        book.remove(old, T0.plusSeconds(1));
        List<GridSignal> fresh = new ArrayList<>();
        book.add(source("vtn", () -> List.copyOf(fresh)));
        // restarted, not yet heard from its VTN: the predecessor's limit holds, never lifted by a restart alone
        assertThat(book.limitsAt(T0.plusSeconds(2)).importLimit().watts()).isEqualTo(4_000);
        // it hears the same event, raised: that replaces what its predecessor left for it
        fresh.add(limit("ev", GridSignalKind.IMPORT_CAPACITY_LIMIT, 8_000, T0, null));
        assertThat(book.limitsAt(T0.plusSeconds(3)).importLimit().watts()).isEqualTo(8_000);
    }
}

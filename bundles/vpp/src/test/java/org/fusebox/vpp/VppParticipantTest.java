package org.fusebox.vpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.testing.MutableClock;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

/** Dispatches, baseline and reports on a hand-moved clock, fed cycle reports as the control loop would give them. */
class VppParticipantTest {

    static final Instant T0 = TestSites.T0; // 18:00Z
    /** 40 A fuse, 2 A margin (26.22 kW to plan with), a 20 kWh / 10 kW battery at 60 %, idle. */
    static final SiteSnapshot SITE = new TestSites().battery("bat", 60, 0).build();

    private final MutableClock clock = new MutableClock(T0);
    private final VppParticipant vpp = new VppParticipant(VppSettings.DEFAULTS);
    private long cycle;

    /** Feeds one sample every 5 s from now until {@code minutes} after T0, the grid importing {@code kw}, and ticks. */
    private void run(double minutes, double kw) {
        Instant until = T0.plusMillis((long) (minutes * 60_000));
        while (clock.instant().isBefore(until)) {
            vpp.onCycle(Cycles.at(SITE, ++cycle, clock.instant(), kw));
            vpp.tick(clock.instant());
            clock.advance(Duration.ofSeconds(5));
        }
    }

    private Dispatch dispatch(String id, int startMinutes, int minutes, double targetKw) {
        Instant start = T0.plusSeconds(startMinutes * 60L);
        return new Dispatch(id, start, start.plusSeconds(minutes * 60L), targetKw);
    }

    @Test
    void aShedWithinTheOfferIsAcceptedAndHeldAsAnImportLimit() {
        run(0.1, 10);
        Decision d = vpp.submit(dispatch("d1", 30, 15, 2), clock.instant());
        assertThat(d.accepted()).isTrue();
        assertThat(d.requiredShedKw()).isCloseTo(8, within(1e-9));
        assertThat(d.offeredShedKw()).isEqualTo(10);
        assertThat(vpp.signals()).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(GridSignalKind.IMPORT_CAPACITY_LIMIT);
            assertThat(s.value()).isEqualTo(2000);
            assertThat(s.start()).isEqualTo(T0.plusSeconds(1800));
            assertThat(s.end()).isEqualTo(T0.plusSeconds(2700));
            assertThat(s.source()).isEqualTo("vpp");
            assertThat(s.id()).isEqualTo("d1");
        });
    }

    @Test
    void aShedBeyondTheOfferIsRefusedWithTheReasonAndNothingIsApplied() {
        run(0.1, 10);
        // two hours at zero import: the battery holds 10 kW for 45 minutes only
        Decision d = vpp.submit(dispatch("long", 15, 120, 0), clock.instant());
        assertThat(d.status()).isEqualTo(409);
        assertThat(d.beyondOffer()).isTrue();
        assertThat(d.reason()).contains("asks 10.000 kW").contains("offers");
        assertThat(vpp.signals()).isEmpty();
        assertThat(vpp.dispatches()).isEmpty();
    }

    @Test
    void aShedBeyondTheOfferIsAcceptedWhenConfiguredAndSaysSo() {
        vpp.settings(new VppSettings(Duration.ofMinutes(15), Duration.ofHours(4), Duration.ofMinutes(30), Duration.ofSeconds(5),
                Duration.ofMinutes(5), 50, true));
        run(0.1, 10);
        Decision d = vpp.submit(dispatch("long", 15, 120, 0), clock.instant());
        assertThat(d.accepted()).isTrue();
        assertThat(d.beyondOffer()).isTrue();
        assertThat(d.reason()).startsWith("accepted beyond the offer");
        assertThat(vpp.signals()).hasSize(1);
    }

    @Test
    void withoutACycleNothingIsKnownSoADispatchIsRefused() {
        Decision d = vpp.submit(dispatch("d1", 30, 15, 2), clock.instant());
        assertThat(d.status()).isEqualTo(409);
        assertThat(d.reason()).contains("no control cycle seen yet");
        assertThat(vpp.calculator(clock.instant())).isEmpty();
        // a cycle that is too old is no better
        vpp.onCycle(Cycles.at(SITE, 1, T0, 10));
        clock.advance(Duration.ofMinutes(3));
        assertThat(vpp.submit(dispatch("d1", 30, 15, 2), clock.instant()).reason()).contains("more than 2 minutes ago");
    }

    @Test
    void dispatchesInThePastOrBeyondTheHorizonAreRefused() {
        run(0.1, 10);
        clock.set(T0.plusSeconds(600));
        vpp.onCycle(Cycles.at(SITE, ++cycle, clock.instant(), 10));
        assertThat(vpp.submit(dispatch("old", 0, 5, 2), clock.instant()).status()).isEqualTo(400);
        Decision past = vpp.submit(dispatch("late", 0, 30, 2), clock.instant());
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.reason()).contains("in the past");
        Decision far = vpp.submit(dispatch("far", 6 * 60, 15, 2), clock.instant());
        assertThat(far.status()).isEqualTo(409);
        assertThat(far.reason()).contains("beyond the flexibility horizon");
        assertThat(vpp.signals()).isEmpty();
    }

    @Test
    void overlapsAreRefusedAndTheSameIdReplacesOneThatHasNotStarted() {
        run(0.1, 10);
        assertThat(vpp.submit(dispatch("a", 30, 15, 2), clock.instant()).accepted()).isTrue();
        Decision overlap = vpp.submit(dispatch("b", 40, 15, 2), clock.instant());
        assertThat(overlap.status()).isEqualTo(409);
        assertThat(overlap.reason()).contains("overlaps dispatch a");
        assertThat(vpp.submit(dispatch("a", 60, 15, 5), clock.instant()).accepted()).isTrue();
        assertThat(vpp.signals()).singleElement().satisfies(s -> {
            assertThat(s.start()).isEqualTo(T0.plusSeconds(3600));
            assertThat(s.value()).isEqualTo(5000);
        });
        // a refused replacement keeps the one in force
        assertThat(vpp.submit(dispatch("a", 60, 180, 0), clock.instant()).accepted()).isFalse();
        assertThat(vpp.signals()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(5000));
    }

    @Test
    void aRunningDispatchCannotBeReplaced() {
        run(0.1, 10);
        vpp.submit(dispatch("a", 1, 15, 2), clock.instant());
        run(3, 10);
        Decision again = vpp.submit(dispatch("a", 5, 15, 3), clock.instant());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.reason()).contains("is running");
    }

    @Test
    void theReportMeasuresTheBaselineBeforeAndTheImportDuringTheEvent() {
        run(0.1, 10);
        vpp.submit(dispatch("d1", 45, 15, 2), clock.instant());
        run(15, 50); // 18:00 .. 18:15, before the baseline window: not counted
        run(45, 10); // 18:15 .. 18:45: the baseline
        assertThat(vpp.reports()).isEmpty();
        run(55, 2);
        run(60, 3); // 18:45 .. 19:00: 10 minutes at 2 kW, 5 at 3 kW
        run(61, 10);
        assertThat(vpp.signals()).isEmpty();
        assertThat(vpp.reports()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("d1");
            assertThat(r.baselineKw()).isCloseTo(10, within(1e-9));
            assertThat(r.baselineSamples()).isEqualTo(360);
            assertThat(r.measuredSamples()).isEqualTo(180);
            assertThat(r.measuredKw()).isCloseTo((120 * 2 + 60 * 3) / 180.0, within(1e-9));
            assertThat(r.deliveredKw()).isCloseTo(10 - 7 / 3.0, within(1e-9));
            assertThat(r.deliveredKwh()).isCloseTo((10 - 7 / 3.0) * 0.25, within(1e-9));
            assertThat(r.targetMet()).isFalse(); // 2.33 kW over a 2 kW target
            assertThat(r.cancelled()).isFalse();
            assertThat(r.endedAt()).isEqualTo(T0.plusSeconds(3600));
            assertThat(r.note()).isEmpty();
        });
    }

    @Test
    void aCancelledRunningDispatchIsReportedUntilItsCancellation() {
        run(0.1, 10);
        vpp.submit(dispatch("d1", 30, 30, 2), clock.instant());
        run(30, 10);
        run(40, 1);
        VppParticipant.Cancellation c = vpp.cancel("d1", clock.instant());
        assertThat(c.known()).isTrue();
        assertThat(vpp.signals()).isEmpty();
        assertThat(c.report().cancelled()).isTrue();
        assertThat(c.report().endedAt()).isEqualTo(T0.plusSeconds(40 * 60));
        assertThat(c.report().deliveredKw()).isCloseTo(9, within(1e-9));
        assertThat(c.report().deliveredKwh()).isCloseTo(9 * 10 / 60.0, within(1e-9));
        assertThat(c.report().targetMet()).isTrue();
        assertThat(vpp.reports()).hasSize(1);
    }

    @Test
    void aDispatchCancelledBeforeItStartsLeavesNoReport() {
        run(0.1, 10);
        vpp.submit(dispatch("d1", 30, 30, 2), clock.instant());
        VppParticipant.Cancellation c = vpp.cancel("d1", clock.instant());
        assertThat(c.known()).isTrue();
        assertThat(c.report()).isNull();
        assertThat(vpp.signals()).isEmpty();
        assertThat(vpp.cancel("d1", clock.instant()).known()).isFalse();
        run(70, 10);
        assertThat(vpp.reports()).isEmpty();
        assertThat(clock.instant()).isAfter(T0.plusSeconds(3600));
    }

    @Test
    void withoutReadingsTheReportSaysWhatItCouldNotMeasure() {
        vpp.settings(new VppSettings(Duration.ofMinutes(15), Duration.ofHours(4), Duration.ofMinutes(30), Duration.ofSeconds(5),
                Duration.ofMinutes(5), 50, true));
        vpp.submit(dispatch("blind", 1, 5, 2), clock.instant());
        clock.advance(Duration.ofMinutes(10));
        assertThat(vpp.tick(clock.instant())).singleElement().satisfies(r -> {
            assertThat(r.baselineKw()).isNull();
            assertThat(r.measuredKw()).isNull();
            assertThat(r.deliveredKw()).isNull();
            assertThat(r.deliveredKwh()).isNull();
            assertThat(r.targetMet()).isNull();
            assertThat(r.beyondOffer()).isTrue();
            assertThat(r.note()).contains("no baseline").contains("nothing measured").contains("accepted beyond the offer");
        });
    }

    @Test
    void onlyTheLastReportsAreKeptAndACycleSeenTwiceCountsOnce() {
        vpp.settings(new VppSettings(Duration.ofMinutes(15), Duration.ofHours(4), Duration.ofMinutes(30), Duration.ofSeconds(5),
                Duration.ofMinutes(5), 2, false));
        run(0.1, 10);
        for (int i = 0; i < 3; i++) {
            Instant now = clock.instant();
            Decision d = vpp.submit(new Dispatch("e" + i, now.plusSeconds(60), now.plusSeconds(120), 5), now);
            assertThat(d.accepted()).as(d.reason()).isTrue();
            run(2.5 * (i + 1), 4);
        }
        assertThat(vpp.reports()).extracting(EventReport::id).containsExactly("e1", "e2");
        var report = Cycles.at(SITE, 999, clock.instant(), 4);
        Instant now = clock.instant();
        vpp.submit(new Dispatch("twice", now, now.plusSeconds(30), 5), now);
        vpp.onCycle(report);
        vpp.onCycle(report);
        clock.advance(Duration.ofMinutes(1));
        assertThat(vpp.tick(clock.instant())).singleElement().satisfies(r -> assertThat(r.measuredSamples()).isEqualTo(1));
    }

    @Test
    void signalsAreWholeAndOrderedByStart() {
        run(0.1, 10);
        vpp.submit(dispatch("later", 90, 15, 3), clock.instant());
        vpp.submit(dispatch("sooner", 30, 15, 2), clock.instant());
        assertThat(vpp.signals()).extracting(GridSignal::id).containsExactly("sooner", "later");
    }
}

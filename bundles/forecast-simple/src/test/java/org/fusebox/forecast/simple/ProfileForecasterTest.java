package org.fusebox.forecast.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.PowerSlot;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileForecasterTest {

    /** A Monday. */
    static final Instant MONDAY_10 = Instant.parse("2026-01-12T10:00:00Z");
    static final Duration WEEK = Duration.ofDays(7);

    @TempDir
    Path dir;

    static ForecastSettings settings(ForecastSettings.Method method, DailyCurve curve, ZoneId zone, int weeks, Path store) {
        return new ForecastSettings(method, curve, zone, weeks, Duration.ofSeconds(10), store);
    }

    static ProfileForecaster load(ForecastSettings s) {
        return new ProfileForecaster(ForecastKind.SITE_LOAD, "test", s);
    }

    /** A site whose uncontrolled load is {@code watts}, measured at {@code t}. */
    static SiteSnapshot site(Instant t, double watts) {
        double amps = watts / 3 / 230;
        SiteSnapshot s = new TestSites().uncontrolled(amps, amps, amps).build();
        return SiteSnapshot.builder(s.limits()).timestamp(t).grid(s.grid()).build();
    }

    /** One quarter-hour at {@code watts}, sampled each minute, then closed. */
    static void learnQuarter(ProfileForecaster f, Instant start, double watts) {
        for (int m = 0; m < 15; m++) {
            f.observe(site(start.plusSeconds(60L * m), watts));
        }
        f.flush();
    }

    static double wattsAt(PowerForecast f, Instant t) {
        return f.at(t).map(PowerSlot::power).orElseThrow().watts();
    }

    @Test
    void learnsTheAverageOfTheSameWeekdayAndQuarterAndFallsBackToTheCurveElsewhere() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, DailyCurve.of(500), ZoneOffset.UTC, 4, null));
        learnQuarter(f, MONDAY_10, 1000);
        learnQuarter(f, MONDAY_10.plus(WEEK), 3000);
        Instant later = MONDAY_10.plus(WEEK.multipliedBy(3));
        PowerForecast out = f.forecast(later.minus(Duration.ofHours(1)), later.plus(Duration.ofDays(1)));
        assertThat(wattsAt(out, later)).isCloseTo(2000, within(1e-9));
        assertThat(wattsAt(out, later.plus(Duration.ofMinutes(14)))).isCloseTo(2000, within(1e-9));
        assertThat(wattsAt(out, later.minus(Duration.ofMinutes(1)))).isEqualTo(500); // 09:45, never measured
        assertThat(wattsAt(out, later.plus(Duration.ofDays(1)).minus(Duration.ofMinutes(1)))).isEqualTo(500);
        assertThat(wattsAt(out, later.plus(Duration.ofMinutes(15)))).isEqualTo(500);
        assertThat(out.source()).isEqualTo("test");
        assertThat(out.kind()).isEqualTo(ForecastKind.SITE_LOAD);
    }

    @Test
    void aQuarterIsLearnedWhenTheNextOneBegins() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 4, null));
        int cell = WeekdayProfile.cell(java.time.DayOfWeek.MONDAY, 40);
        assertThat(f.observe(site(MONDAY_10, 1000))).isFalse();
        assertThat(f.observe(site(MONDAY_10.plusSeconds(899), 2000))).isFalse();
        assertThat(f.profile().known(cell)).isFalse();
        assertThat(f.observe(site(MONDAY_10.plusSeconds(900), 5000))).isTrue();
        assertThat(f.profile().average(cell)).isCloseTo(1500, within(1e-9));
        assertThat(f.profile().known(cell + 1)).isFalse();
    }

    @Test
    void withoutACurveOnlyLearnedQuartersAreForecast() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 4, null));
        assertThat(f.forecast(MONDAY_10, MONDAY_10.plus(Duration.ofDays(2))).isEmpty()).isTrue();
        learnQuarter(f, MONDAY_10, 1200);
        PowerForecast out = f.forecast(MONDAY_10.plus(WEEK).minus(Duration.ofHours(2)), MONDAY_10.plus(WEEK).plus(Duration.ofHours(2)));
        assertThat(out.slots()).singleElement().satisfies(s -> {
            assertThat(s.start()).isEqualTo(MONDAY_10.plus(WEEK));
            assertThat(s.length()).isEqualTo(Duration.ofMinutes(15));
            assertThat(s.power().watts()).isCloseTo(1200, within(1e-9));
        });
    }

    @Test
    void curveMethodIgnoresWhatItLearned() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.CURVE, DailyCurve.of(700), ZoneOffset.UTC, 4, null));
        learnQuarter(f, MONDAY_10, 3000);
        assertThat(wattsAt(f.forecast(MONDAY_10.plus(WEEK), MONDAY_10.plus(WEEK).plusSeconds(1)), MONDAY_10.plus(WEEK))).isEqualTo(700);
    }

    @Test
    void slotsCoverTheAskedIntervalOnQuarterBoundaries() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.CURVE, DailyCurve.of(1), ZoneOffset.UTC, 4, null));
        PowerForecast out = f.forecast(MONDAY_10.plus(Duration.ofMinutes(7)), MONDAY_10.plus(Duration.ofMinutes(52)));
        assertThat(out.slots()).extracting(PowerSlot::start).containsExactly(MONDAY_10, MONDAY_10.plus(Duration.ofMinutes(15)),
                MONDAY_10.plus(Duration.ofMinutes(30)), MONDAY_10.plus(Duration.ofMinutes(45)));
        assertThat(f.forecast(MONDAY_10, MONDAY_10.plus(Duration.ofHours(48))).slots()).hasSize(192);
        assertThat(f.forecast(MONDAY_10, MONDAY_10).isEmpty()).isTrue();
    }

    @Test
    void theSameSnapshotSeenTwiceCountsOnce() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 4, null));
        f.observe(site(MONDAY_10, 1000));
        f.observe(site(MONDAY_10, 1000));
        f.observe(site(MONDAY_10.plusSeconds(10), 4000));
        f.flush();
        assertThat(f.profile().average(WeekdayProfile.cell(java.time.DayOfWeek.MONDAY, 40))).isCloseTo(2500, within(1e-9));
    }

    @Test
    void memoryWeeksLetNewWeeksWeighAsMuchAsTheCapSays() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 2, null));
        learnQuarter(f, MONDAY_10, 1000);
        learnQuarter(f, MONDAY_10.plus(WEEK), 2000);
        learnQuarter(f, MONDAY_10.plus(WEEK.multipliedBy(2)), 4000);
        int cell = WeekdayProfile.cell(java.time.DayOfWeek.MONDAY, 40);
        // 1000, then (1000+2000)/2, then halfway from 1500 to 4000.
        assertThat(f.profile().average(cell)).isCloseTo(2750, within(1e-9));
        assertThat(f.profile().count(cell)).isEqualTo(2);
    }

    @Test
    void weekdaysAndQuartersAreInTheConfiguredZone() {
        ZoneId brussels = ZoneId.of("Europe/Brussels");
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, brussels, 4, null));
        // Sunday 23:30 UTC is Monday 00:30 in Brussels (winter time).
        Instant sundayUtc = Instant.parse("2026-01-11T23:30:00Z");
        learnQuarter(f, sundayUtc, 900);
        assertThat(f.profile().known(WeekdayProfile.cell(java.time.DayOfWeek.MONDAY, 2))).isTrue();
        assertThat(f.profile().known(WeekdayProfile.cell(java.time.DayOfWeek.SUNDAY, 94))).isFalse();
        // In summer the same local quarter is 22:30 UTC.
        Instant summer = Instant.parse("2026-06-14T22:30:00Z");
        assertThat(wattsAt(f.forecast(summer, summer.plusSeconds(1)), summer)).isCloseTo(900, within(1e-9));
    }

    @Test
    void persistedProfileSurvivesARestart() throws Exception {
        Path store = dir.resolve("data/fusebox/forecast/site_load.profile");
        ForecastSettings s = settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 4, store);
        ProfileForecaster before = load(s);
        learnQuarter(before, MONDAY_10, 1234.5);
        learnQuarter(before, MONDAY_10.plus(Duration.ofDays(3)).plus(Duration.ofHours(5)), 321);
        before.save();
        assertThat(store).exists();
        assertThat(store.resolveSibling("site_load.profile.tmp")).doesNotExist();

        ProfileForecaster after = load(s);
        assertThat(after.load()).isTrue();
        Instant from = MONDAY_10.plus(WEEK).minus(Duration.ofHours(12));
        Instant to = from.plus(Duration.ofDays(7));
        assertThat(after.forecast(from, to)).isEqualTo(before.forecast(from, to));
        assertThat(after.forecast(from, to).slots()).hasSize(2);
        assertThat(after.profile().knownCells()).isEqualTo(2);
    }

    @Test
    void aMissingStoreIsAnEmptyStartAndABrokenOneIsRefusedWithoutLosingTheProfile() throws Exception {
        Path store = dir.resolve("site_load.profile");
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 4, store));
        assertThat(f.load()).isFalse();
        learnQuarter(f, MONDAY_10, 800);
        Files.writeString(store, "fusebox-weekday-profile 1\nkind SITE_LOAD\nMONDAY 1:1 2:2\n");
        assertThatThrownBy(f::load).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line for MONDAY");
        assertThat(f.profile().knownCells()).isEqualTo(1);

        ProfileForecaster pv = new ProfileForecaster(ForecastKind.PV_PRODUCTION, "pv",
                settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 4, store));
        f.save();
        assertThatThrownBy(pv::load).hasMessageContaining("expected kind PV_PRODUCTION");
    }

    @Test
    void aMissingMeterIsReportedSinceItWentAndClearedWhenItReturns() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 4, null));
        SiteSnapshot s = site(MONDAY_10, 1000);
        SiteSnapshot blind = SiteSnapshot.builder(s.limits()).timestamp(MONDAY_10.plusSeconds(10)).build();

        f.observe(s);
        assertThat(f.gap()).isNull();
        f.observe(blind);
        assertThat(f.gap()).isEqualTo("not learning: the grid meter has no reading (since " + MONDAY_10.plusSeconds(10) + ")");
        f.observe(site(MONDAY_10.plusSeconds(20), 1000));
        assertThat(f.gap()).isNull();
    }

    @Test
    void withNothingLearnedAndNoCurveItSaysWhenTheFirstQuarterHourIsLearned() {
        ProfileForecaster f = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, null, ZoneOffset.UTC, 4, null));
        assertThat(f.warmingUpUntil()).as("before any sample").isNull();
        f.observe(site(MONDAY_10.plusSeconds(125), 1000));
        assertThat(f.warmingUpUntil()).isEqualTo(MONDAY_10.plus(Duration.ofMinutes(15)));
        assertThat(f.forecast(MONDAY_10, MONDAY_10.plus(Duration.ofHours(1))).slots()).isEmpty();

        learnQuarter(f, MONDAY_10.plus(Duration.ofMinutes(15)), 1000);
        f.observe(site(MONDAY_10.plus(Duration.ofMinutes(31)), 1000));
        assertThat(f.warmingUpUntil()).isNull();

        ProfileForecaster withCurve = load(settings(ForecastSettings.Method.WEEKDAY_PROFILE, DailyCurve.of(500), ZoneOffset.UTC, 4, null));
        withCurve.observe(site(MONDAY_10, 1000));
        assertThat(withCurve.warmingUpUntil()).as("the curve answers meanwhile").isNull();
    }
}

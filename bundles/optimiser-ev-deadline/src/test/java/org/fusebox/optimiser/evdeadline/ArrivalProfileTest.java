package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrivalProfileTest {

    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    private static final ArrivalSettings SETTINGS = new ArrivalSettings(true, 4, 1, 0, BRUSSELS);

    private static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BRUSSELS).toInstant();
    }

    /** One session plugged in at {@code local} for {@code hours}, wanting {@code kwh}, at 11 kW. */
    private static void session(ArrivalProfile p, String local, double hours, double kwh) {
        Instant in = at(local);
        p.add(in, in.plus(Duration.ofMinutes(Math.round(hours * 60))), kwh, 11, BRUSSELS);
    }

    @Test
    void arrivalsAreLearnedPerWeekdayAndQuarterHourOfTheLocalDay() {
        // Mondays 2026-01-05, 12 and 19; learning since Monday 2026-01-05.
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2026, 1, 5));
        for (String day : List.of("2026-01-05", "2026-01-12", "2026-01-19")) {
            session(p, day + "T18:05", 10, 30);
            session(p, day + "T18:10", 10, 20);
            session(p, day + "T19:40", 8, 12);
        }
        // Monday 2026-01-26 at 17:00: three Mondays observed.
        List<ExpectedArrival> monday = p.expected(at("2026-01-26T17:00"), at("2026-01-27T17:00"), SETTINGS, BRUSSELS);
        assertThat(monday).hasSize(2);
        ExpectedArrival six = monday.get(0);
        assertThat(six.arrival()).isEqualTo(at("2026-01-26T18:00"));
        assertThat(six.energyKwh()).isCloseTo(50.0, within(1e-9)); // two EVs, 50 kWh a Monday
        assertThat(six.maxKw()).isCloseTo(22.0, within(1e-9));
        // Leaves after the average stay, counted from the start of the quarter hour.
        assertThat(six.departure()).isEqualTo(at("2026-01-27T04:00"));
        assertThat(monday.get(1).arrival()).isEqualTo(at("2026-01-26T19:30"));
        assertThat(monday.get(1).energyKwh()).isCloseTo(12.0, within(1e-9));
        // Tuesday has none: no session was ever seen on a Tuesday.
        assertThat(p.expected(at("2026-01-27T17:00"), at("2026-01-27T23:00"), SETTINGS, BRUSSELS)).isEmpty();
    }

    @Test
    void aWeekdayWithoutSessionsLowersTheExpectationAndTheMarginRaisesIt() {
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2026, 1, 5));
        session(p, "2026-01-12T18:00", 10, 40); // one Monday of three with a session
        List<ExpectedArrival> e = p.expected(at("2026-01-26T12:00"), at("2026-01-27T12:00"),
                new ArrivalSettings(true, 4, 1, 0.5, BRUSSELS), BRUSSELS);
        assertThat(e).hasSize(1);
        assertThat(e.get(0).energyKwh()).isCloseTo(40.0 / 3 * 1.5, within(1e-9));
        assertThat(e.get(0).maxKw()).isCloseTo(11.0 / 3 * 1.5, within(1e-9));
    }

    @Test
    void noRoomIsKeptForAWeekdayWithFewerSessionsThanTheMinimumOrOutsideTheWindow() {
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2025, 11, 1));
        session(p, "2025-11-03T18:00", 10, 40); // a Monday more than 4 weeks before
        session(p, "2026-01-19T18:00", 10, 40);
        session(p, "2026-01-19T18:20", 10, 40);
        Instant now = at("2026-01-26T12:00");
        Instant until = at("2026-01-27T12:00");
        assertThat(p.expected(now, until, new ArrivalSettings(true, 4, 3, 0, BRUSSELS), BRUSSELS)).isEmpty();
        assertThat(p.expected(now, until, new ArrivalSettings(true, 4, 2, 0, BRUSSELS), BRUSSELS)).hasSize(2);
        assertThat(p.expected(now, until, new ArrivalSettings(true, 12, 3, 0, BRUSSELS), BRUSSELS)).hasSize(2);
        p.forgetBefore(LocalDate.of(2026, 1, 1));
        assertThat(p.sessions()).hasSize(2);
    }

    @Test
    void theWeekdayIsTheSitesNotUtcs() {
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2026, 1, 1));
        // Sunday 23:30 UTC is Monday 00:30 in Brussels.
        Instant in = Instant.parse("2026-01-04T23:30:00Z");
        p.add(in, in.plus(Duration.ofHours(5)), 10, 7.4, BRUSSELS);
        ArrivalProfile.Session s = p.sessions().get(0);
        assertThat(s.date()).isEqualTo(LocalDate.of(2026, 1, 5));
        assertThat(s.date().getDayOfWeek()).hasToString("MONDAY");
        assertThat(s.minuteOfDay()).isEqualTo(30);
        assertThat(s.stayMinutes()).isEqualTo(300);
    }

    @Test
    void anArrivalLearnedInWinterIsExpectedAtTheSameLocalTimeInSummer() {
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2026, 3, 9));
        for (String day : List.of("2026-03-09", "2026-03-16", "2026-03-23")) {
            session(p, day + "T18:00", 10, 30); // 17:00 UTC in winter
        }
        // Monday 2026-03-30, after the clocks went forward on the 29th: 18:00 local is 16:00 UTC.
        List<ExpectedArrival> e = p.expected(at("2026-03-30T12:00"), at("2026-03-31T12:00"), SETTINGS, BRUSSELS);
        assertThat(e).hasSize(1);
        assertThat(e.get(0).arrival()).isEqualTo(Instant.parse("2026-03-30T16:00:00Z"));
        assertThat(e.get(0).departure()).isEqualTo(Instant.parse("2026-03-31T02:00:00Z"));
    }

    @Test
    void aLocalTimeTheClockChangeSkipsIsNotExpectedAndTheRepeatedHourCountsOnce() {
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2026, 3, 1));
        for (String day : List.of("2026-03-01", "2026-03-08", "2026-03-15", "2026-03-22")) {
            session(p, day + "T02:15", 4, 10);
            session(p, day + "T03:15", 4, 10);
        }
        // Sunday 2026-03-29 has no 02:15 in Brussels: only the 03:15 arrival is expected.
        List<ExpectedArrival> spring = p.expected(at("2026-03-29T00:00"), at("2026-03-29T12:00"), SETTINGS, BRUSSELS);
        assertThat(spring).extracting(ExpectedArrival::arrival).containsExactly(Instant.parse("2026-03-29T01:15:00Z"));
        // Sunday 2026-10-25 has 02:15 twice; it is expected once, at the first.
        ArrivalProfile autumn = new ArrivalProfile(LocalDate.of(2026, 9, 27));
        for (String day : List.of("2026-09-27", "2026-10-04", "2026-10-11", "2026-10-18")) {
            session(autumn, day + "T02:15", 4, 10);
        }
        List<ExpectedArrival> fall = autumn.expected(Instant.parse("2026-10-24T22:00:00Z"), Instant.parse("2026-10-25T12:00:00Z"),
                SETTINGS, BRUSSELS);
        assertThat(fall).extracting(ExpectedArrival::arrival).containsExactly(Instant.parse("2026-10-25T00:15:00Z"));
    }

    @Test
    void theQuarterHourUnderWayCountsForWhatIsLeftOfIt() {
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2026, 1, 5));
        session(p, "2026-01-19T19:00", 10, 30);
        List<ExpectedArrival> e = p.expected(at("2026-01-26T19:05"), at("2026-01-27T12:00"), SETTINGS, BRUSSELS);
        assertThat(e).hasSize(1);
        assertThat(e.get(0).arrival()).isEqualTo(at("2026-01-26T19:05"));
        assertThat(e.get(0).energyKwh()).isCloseTo(30.0 / 3 * 10 / 15, within(1e-9)); // three Mondays, two thirds left
        assertThat(p.expected(at("2026-01-26T19:15"), at("2026-01-27T12:00"), SETTINGS, BRUSSELS)).isEmpty();
    }

    @Test
    void theProfileSurvivesARestartAndADamagedFileIsRefusedWhole(@TempDir Path dir) throws IOException {
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2026, 1, 5));
        session(p, "2026-01-05T18:05", 10, 30.25);
        session(p, "2026-01-06T07:30", 1.5, 4);
        Path file = dir.resolve("arrivals.txt");
        p.save(file);
        ArrivalProfile back = ArrivalProfile.load(file, LocalDate.of(2026, 2, 1));
        assertThat(back.since()).isEqualTo(LocalDate.of(2026, 1, 5));
        assertThat(back.sessions()).isEqualTo(p.sessions());
        assertThat(ArrivalProfile.load(dir.resolve("none.txt"), LocalDate.of(2026, 2, 1)).since()).isEqualTo(LocalDate.of(2026, 2, 1));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Files.writeString(file, String.join("\n", lines.get(0), lines.get(1), lines.get(2), "2026-01-06;450;four;90;11.0") + "\n");
        assertThatThrownBy(() -> ArrivalProfile.load(file, LocalDate.of(2026, 2, 1))).isInstanceOf(IOException.class)
                .hasMessageContaining("line 4");
        Files.writeString(file, "hello\n");
        assertThatThrownBy(() -> ArrivalProfile.load(file, LocalDate.of(2026, 2, 1))).isInstanceOf(IOException.class)
                .hasMessageContaining("not an arrival profile");
        Files.writeString(file, String.join("\n", lines.get(0), lines.get(1), "2026-01-06;1440;4.0;90;11.0") + "\n");
        assertThatThrownBy(() -> ArrivalProfile.load(file, LocalDate.of(2026, 2, 1))).isInstanceOf(IOException.class)
                .hasMessageContaining("line 3");
    }

    @Test
    void atMostAFixedNumberOfSessionsIsKept() {
        ArrivalProfile p = new ArrivalProfile(LocalDate.of(2026, 1, 1));
        Instant in = at("2026-01-05T18:00");
        for (int i = 0; i < ArrivalProfile.MAX_SESSIONS + 10; i++) {
            p.add(in, in.plusSeconds(3600), i, 11, BRUSSELS);
        }
        assertThat(p.sessions()).hasSize(ArrivalProfile.MAX_SESSIONS);
        assertThat(p.sessions().get(0).energyKwh()).isEqualTo(10.0); // the oldest went first
    }
}

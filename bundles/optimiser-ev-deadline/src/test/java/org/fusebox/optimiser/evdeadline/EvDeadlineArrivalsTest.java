package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component learns arrivals from the sessions it sees end, keeps them on disk, and keeps room for them. */
class EvDeadlineArrivalsTest {

    private static final Instant T0 = TestSites.T0; // Thursday 2026-01-15 18:00 UTC

    private static EvDeadlineConfig config(boolean reserve, int minObservations) {
        return EvDeadlineChargingTest.config(15, 10, 30, reserve, 4, minObservations, 0.1, "UTC");
    }

    private static PriceCurve hourlyPrices(String... perMwh) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int h = 0; h < perMwh.length; h++) {
            slots.add(new PriceSlot(T0.plus(Duration.ofHours(h)), Duration.ofHours(1), EnergyPrice.perMegawattHour(perMwh[h], "EUR")));
        }
        return new PriceCurve(slots);
    }

    /** One three-phase 16 A charger, with {@code session} plugged in or none, seen at {@code now}; the fuse leaves about 12 kW. */
    private static SiteSnapshot site(Instant now, EvSession session, boolean online) {
        SiteSnapshot s = new TestSites().limits(TestSites.limits(30, 2)).uncontrolled(10, 10, 10)
                .charger("a", TestSites.THREE, 16, session == null ? ConnectorState.AVAILABLE : ConnectorState.CHARGING, 0, 16, session)
                .build();
        ChargerState c = s.chargers().get(0);
        if (!online) {
            c = new ChargerState(c.id(), c.name(), DeviceStatus.offline("link lost", now), c.connectors(), c.reading());
        }
        return SiteSnapshot.builder(s.limits()).timestamp(now).grid(s.grid()).charger(c).prices(hourlyPrices("20", "150", "150")).build();
    }

    private static EvSession session(String id, Instant pluggedIn, double deliveredKwh, double requestedKwh, Instant departure) {
        return new EvSession(id, null, pluggedIn, Energy.ofKilowattHours(deliveredKwh), Energy.ofKilowattHours(requestedKwh), departure,
                null, null);
    }

    @Test
    void aSessionThatEndsIsLearnedSavedAndKnownAgainAfterARestart(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(EvDeadlineCharging.PROFILE_FILE);
        EvDeadlineCharging o = new EvDeadlineCharging(ZoneOffset.UTC);
        o.start(file, config(true, 8));
        // Learning starts today (the clock's day); the session is stamped after it so that it counts.
        Instant in = o.profile().since().atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(18).plusMinutes(30));
        o.optimise(site(in.plus(Duration.ofMinutes(1)), session("s1", in, 0.2, 30, null), true), Setpoints.empty());
        o.optimise(site(in.plus(Duration.ofHours(3)), session("s1", in, 17.5, 30, null), true), Setpoints.empty());
        assertThat(o.profile().sessions()).isEmpty();
        assertThat(Files.exists(file)).isFalse();
        // Unplugged: the session ends at the last time it was seen, with the energy it had then.
        o.optimise(site(in.plus(Duration.ofHours(3).plusSeconds(1)), null, true), Setpoints.empty());
        assertThat(o.profile().sessions()).hasSize(1);
        ArrivalProfile.Session s = o.profile().sessions().get(0);
        assertThat(s.minuteOfDay()).isEqualTo(18 * 60 + 30);
        assertThat(s.energyKwh()).isEqualTo(17.5);
        assertThat(s.stayMinutes()).isEqualTo(180);
        assertThat(s.maxKw()).isEqualTo(16 * 3 * 230 / 1000.0);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains(";1110;17.5;180;");

        EvDeadlineCharging restarted = new EvDeadlineCharging(ZoneOffset.UTC);
        restarted.start(file, config(true, 8));
        assertThat(restarted.profile().sessions()).isEqualTo(o.profile().sessions());
        assertThat(restarted.profile().since()).isEqualTo(o.profile().since());
    }

    @Test
    void aChargerThatGoesOfflineDoesNotEndItsSession() {
        EvDeadlineCharging o = new EvDeadlineCharging(ZoneOffset.UTC);
        o.configure(config(true, 8));
        Instant in = Instant.now().plus(Duration.ofHours(1));
        o.optimise(site(in, session("s1", in, 1, 30, null), true), Setpoints.empty());
        o.optimise(site(in.plusSeconds(60), null, false), Setpoints.empty());
        assertThat(o.profile().sessions()).isEmpty();
        o.optimise(site(in.plusSeconds(120), session("s1", in, 2, 30, null), true), Setpoints.empty());
        o.optimise(site(in.plusSeconds(180), null, true), Setpoints.empty());
        assertThat(o.profile().sessions()).hasSize(1);
        assertThat(o.profile().sessions().get(0).energyKwh()).isEqualTo(2.0);
    }

    @Test
    void aDamagedProfileIsSetAsideAndLearningStartsAgain(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(EvDeadlineCharging.PROFILE_FILE);
        Files.writeString(file, "# fusebox-optimiser-ev-deadline arrivals v1\nsince;2026-01-01\n2026-01-08;not a minute\n");
        EvDeadlineCharging o = new EvDeadlineCharging(ZoneOffset.UTC);
        o.start(file, config(true, 8));
        assertThat(o.profile().sessions()).isEmpty();
        assertThat(o.profile().since()).isEqualTo(LocalDate.now(ZoneOffset.UTC));
        assertThat(Files.readString(file.resolveSibling(EvDeadlineCharging.PROFILE_FILE + ".damaged"))).contains("not a minute");
        assertThat(Files.exists(file)).isFalse();
    }

    /** Four Thursdays, each with one EV arriving at 18:30 UTC wanting 20 kWh for 10 h. */
    private static Path learnedThursdays(Path dir) throws IOException {
        Path file = dir.resolve(EvDeadlineCharging.PROFILE_FILE);
        StringBuilder sb = new StringBuilder("# fusebox-optimiser-ev-deadline arrivals v1\nsince;2025-12-15\n");
        for (String day : List.of("2025-12-18", "2025-12-25", "2026-01-01", "2026-01-08")) {
            sb.append(day).append(";1110;20.0;600;11.04\n");
        }
        Files.writeString(file, sb);
        return file;
    }

    @Test
    void theEvPluggedInStillGetsItsEnergyAndThePlanSaysHowMuchRoomIsKept(@TempDir Path dir) throws IOException {
        Path file = learnedThursdays(dir);
        EvDeadlineCharging o = new EvDeadlineCharging(ZoneOffset.UTC);
        o.start(file, config(true, 4));
        SiteSnapshot s = site(T0, session("s-a", T0.minus(Duration.ofHours(1)), 0, 12, T0.plus(Duration.ofHours(3))), true);
        o.optimise(s, Setpoints.empty());
        Plan plan = o.plan().orElseThrow();
        PlanLine line = plan.lines().get(0);
        assertThat(line.targetMet()).isTrue();
        assertThat(line.planned().kilowattHours()).isGreaterThanOrEqualTo(12.0 - 1e-6);
        assertThat(plan.notes()).anyMatch(n -> n.startsWith("room kept for 1 expected arrivals:"));
        // The plan keeps to the site's room although the arrival was given room too.
        for (var p : line.power()) {
            assertThat(p.power().kilowatts()).isLessThanOrEqualTo(11.04 + 1e-6);
        }

        EvDeadlineCharging off = new EvDeadlineCharging(ZoneOffset.UTC);
        off.start(file, config(false, 4));
        off.optimise(s, Setpoints.empty());
        assertThat(off.plan().orElseThrow().notes()).noneMatch(n -> n.startsWith("room kept"));
        // Too few sessions for a Thursday: no room kept either.
        EvDeadlineCharging unsure = new EvDeadlineCharging(ZoneOffset.UTC);
        unsure.start(file, config(true, 5));
        unsure.optimise(s, Setpoints.empty());
        assertThat(unsure.plan().orElseThrow().notes()).noneMatch(n -> n.startsWith("room kept"));
    }

    @Test
    void aBadArrivalSettingIsRefusedWithItsReasonAndThePreviousOneStays() {
        EvDeadlineCharging o = new EvDeadlineCharging(ZoneOffset.UTC);
        o.configure(config(true, 8));
        o.configure(EvDeadlineChargingTest.config(15, 10, 30, true, 0, 0, -1, "Mars/Olympus"));
        assertThat(String.join(" ", o.health().details())).contains("arrivalLearningWeeks").contains("arrivalMinObservations")
                .contains("arrivalSafetyMargin").contains("siteZone");
        assertThat(o.arrivalSettings()).isEqualTo(new ArrivalSettings(true, 4, 8, 0.1, java.time.ZoneId.of("UTC")));
    }
}

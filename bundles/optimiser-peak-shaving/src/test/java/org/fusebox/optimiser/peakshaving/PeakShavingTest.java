package org.fusebox.optimiser.peakshaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Power;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class PeakShavingTest {

    private static final Instant T0 = TestSites.T0; // 18:00 UTC, an interval start
    private static final ConnectorRef A = new ConnectorRef("a", 1);
    private static final ConnectorRef B = new ConnectorRef("b", 1);

    /** Collects what is posted, as EventAdmin would deliver it. */
    static final class Events implements EventAdmin {
        final List<Event> posted = new ArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }

        List<Event> on(String topic) {
            return posted.stream().filter(e -> e.getTopic().equals(topic)).toList();
        }
    }

    static PeakShavingConfig config(double peakKw, int minutes, double headroomPercent, String zone) {
        return config(peakKw, minutes, headroomPercent, zone, true, 24, 1.1);
    }

    static PeakShavingConfig config(double peakKw, int minutes, double headroomPercent, String zone, boolean lookAhead,
            int lookAheadHours, double safetyFactor) {
        return new PeakShavingConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PeakShavingConfig.class;
            }

            @Override
            public double peakKw() {
                return peakKw;
            }

            @Override
            public int intervalMinutes() {
                return minutes;
            }

            @Override
            public double headroomPercent() {
                return headroomPercent;
            }

            @Override
            public String timeZone() {
                return zone;
            }

            @Override
            public boolean lookAhead() {
                return lookAhead;
            }

            @Override
            public int lookAheadHours() {
                return lookAheadHours;
            }

            @Override
            public double forecastSafetyFactor() {
                return safetyFactor;
            }
        };
    }

    static PeakShaving optimiser(double peakKw, int minutes, double headroomPercent, String zone) {
        PeakShaving p = new PeakShaving();
        p.configure(config(peakKw, minutes, headroomPercent, zone));
        return p;
    }

    private static SiteSnapshot at(SiteSnapshot s, Instant t, double registerWh) {
        MeterReading r = s.grid().reading();
        MeterReading moved = new MeterReading(t, r.power(), r.currents(), r.voltage(), Energy.ofWattHours(registerWh), Energy.ZERO);
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).timestamp(t)
                .grid(new GridState(s.grid().id(), s.grid().name(), s.grid().status(), moved));
        s.chargers().forEach(b::charger);
        s.batteries().forEach(b::battery);
        return b.build();
    }

    private static EvSession arrived(int minutesAgo) {
        return new EvSession("s" + minutesAgo, null, T0.minusSeconds(60L * minutesAgo), Energy.ZERO, null, null, null, null);
    }

    /** Two three-phase EVs at 16 A (11 kW each) over 20 A uncontrolled per phase (13.8 kW), a battery at 50 %. */
    private static SiteSnapshot site(double socPercent) {
        return new TestSites().limits(TestSites.limits(100, 2)).uncontrolled(20, 20, 20)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 16, 16, arrived(60))
                .charger("b", TestSites.THREE, 16, ConnectorState.CHARGING, 16, 16, arrived(10))
                .battery("bat", socPercent, 0).build();
    }

    private static Setpoints fullProposal() {
        return Setpoints.empty().withChargerLimit(A, Current.ofAmps(16)).withChargerLimit(B, Current.ofAmps(16))
                .withBatteryPower("bat", Power.ZERO);
    }

    @Test
    void withoutAZoneOfItsOwnTheIntervalsFollowTheSitesZone() {
        PeakShaving p = optimiser(50, 60, 3, "");
        SiteSnapshot s = at(site(50), Instant.parse("2026-01-15T18:10:00Z"), 0);
        SiteSnapshot inKolkata = SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).grid(s.grid()).zone(java.time.ZoneId.of("Asia/Kolkata"))
                .build();

        p.optimise(inKolkata, Setpoints.empty());

        // India is UTC+05:30: the site's hourly interval began at half past in UTC.
        assertThat(p.currentInterval().start()).isEqualTo(Instant.parse("2026-01-15T17:30:00Z"));
        assertThat(p.settings().zone()).isNull();
    }

    @Test
    void isASafetyTierOptimiser() {
        PeakShaving p = optimiser(50, 15, 3, "UTC");
        assertThat(p.tier()).isEqualTo(Tier.SAFETY);
        assertThat(p.name()).isEqualTo("peak-shaving");
        assertThat(p.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void underThePeakTheProposalIsKept() {
        // 13.8 + 22.1 = 35.9 kW against 50 kW less 3 %.
        PeakShaving p = optimiser(50, 15, 3, "UTC");
        Setpoints proposal = fullProposal();
        assertThat(p.optimise(at(site(50), T0, 0), proposal)).isEqualTo(proposal);
    }

    @Test
    void theBatteryDischargesFirstAndTheEvsKeepTheirCurrent() {
        // 35.9 kW against a 30 kW peak (29.1 kW target): 6.8 kW to find, the battery has 10 kW.
        PeakShaving p = optimiser(30, 15, 3, "UTC");
        Setpoints out = p.optimise(at(site(50), T0, 0), fullProposal());
        assertThat(out.batteryPower("bat").orElseThrow().watts()).isCloseTo(-(35_880 - 29_100), within(1.0));
        assertThat(out.chargerLimit(A)).contains(Current.ofAmps(16));
        assertThat(out.chargerLimit(B)).contains(Current.ofAmps(16));
    }

    @Test
    void batteryChargingIsCutBeforeAnyDischarge() {
        PeakShaving p = optimiser(30, 15, 3, "UTC");
        Setpoints proposal = fullProposal().withBatteryPower("bat", Power.ofKilowatts(8));
        // 43.9 kW expected: cutting the 8 kW charge and discharging 6.8 kW.
        Setpoints out = p.optimise(at(site(50), T0, 0), proposal);
        assertThat(out.batteryPower("bat").orElseThrow().watts()).isCloseTo(-6_780, within(1.0));
    }

    @Test
    void aBatteryAtItsMinimumSocIsNotDischargedAndTheEvsAreCapped() {
        // SoC 20 % is the site minimum: the EVs share 29.1 - 13.8 = 15.3 kW, 11.08 A each on three phases.
        PeakShaving p = optimiser(30, 15, 3, "UTC");
        Setpoints out = p.optimise(at(site(20), T0, 0), fullProposal());
        assertThat(out.batteryPower("bat")).contains(Power.ZERO);
        assertThat(out.chargerLimit(A).orElseThrow().amps()).isEqualTo(11.0);
        assertThat(out.chargerLimit(B).orElseThrow().amps()).isEqualTo(11.0);
    }

    @Test
    void anEvThatCannotGetItsMinimumIsPausedTheLastArrivedFirst() {
        // 20 kW peak, 19.4 kW target: 5.6 kW for EVs, one at 6 A (4.1 kW) fits, two do not.
        PeakShaving p = optimiser(20, 15, 3, "UTC");
        Setpoints out = p.optimise(at(site(20), T0, 0), fullProposal());
        assertThat(out.chargerLimit(B)).contains(Current.ZERO);
        assertThat(out.chargerLimit(A).orElseThrow().amps()).isEqualTo(8.1);
    }

    @Test
    void energyUsedEarlyInTheIntervalLowersWhatIsAllowedLater() {
        // 45 kW peak, no headroom: 11.25 kWh per interval. The site draws 35.9 kW with both EVs at 16 A.
        PeakShaving p = optimiser(45, 15, 0, "UTC");
        SiteSnapshot s = site(20);
        p.optimise(at(s, T0, 1_000_000), fullProposal());
        // 3 kWh by 300 s: 8.25 kWh left for 600 s = 49.5 kW allowed.
        Setpoints out = p.optimise(at(s, T0.plusSeconds(300), 1_003_000), fullProposal());
        assertThat(out).isEqualTo(fullProposal());
        // The register saw a spike: 9 kWh by 600 s, 2.25 kWh left for 300 s = 27 kW allowed, 13.2 kW for the EVs.
        out = p.optimise(at(s, T0.plusSeconds(600), 1_009_000), fullProposal());
        assertThat(out.chargerLimit(A).orElseThrow().amps()).isEqualTo(9.5);
        assertThat(out.chargerLimit(B).orElseThrow().amps()).isEqualTo(9.5);
        // 11.2 kWh by 870 s: 0.05 kWh for 30 s = 6 kW allowed, under the 13.8 kW uncontrolled: both paused.
        out = p.optimise(at(s, T0.plusSeconds(870), 1_011_200), fullProposal());
        assertThat(out.chargerLimit(A)).contains(Current.ZERO);
        assertThat(out.chargerLimit(B)).contains(Current.ZERO);
        assertThat(p.currentInterval().wattHours()).isCloseTo(11_200, within(1e-6));
        assertThat(p.currentInterval().source()).isEqualTo(IntervalMeter.Source.REGISTER);
    }

    @Test
    void theCountStartsAgainAtEachBoundary() {
        PeakShaving p = optimiser(40, 15, 0, "UTC");
        SiteSnapshot s = site(20);
        p.optimise(at(s, T0, 1_000_000), fullProposal());
        p.optimise(at(s, T0.plusSeconds(899), 1_007_000), fullProposal());
        p.optimise(at(s, T0.plusSeconds(901), 1_007_020), fullProposal());
        assertThat(p.currentInterval().start()).isEqualTo(T0.plusSeconds(900));
        assertThat(p.currentInterval().wattHours()).isCloseTo(10, within(1e-6));
        assertThat(p.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aPeakThatCannotBeHeldIsAnnouncedOncePerIntervalAndAnExceededIntervalIsReported() {
        Events events = new Events();
        PeakShaving p = new PeakShaving();
        p.setEventAdmin(events);
        p.configure(config(10, 15, 3, "UTC"));
        // 13.8 kW uncontrolled alone is over a 10 kW peak; the battery at its minimum cannot help.
        SiteSnapshot s = site(20);
        Setpoints out = p.optimise(at(s, T0, 1_000_000), fullProposal());
        assertThat(out.chargerLimit(A)).contains(Current.ZERO);
        assertThat(out.chargerLimit(B)).contains(Current.ZERO);
        p.optimise(at(s, T0.plusSeconds(10), 1_000_038), fullProposal());
        assertThat(events.on(PeakShaving.PEAK_UNAVOIDABLE)).hasSize(1);
        Event e = events.on(PeakShaving.PEAK_UNAVOIDABLE).get(0);
        assertThat(e.getProperty(PeakShaving.INTERVAL_START)).isEqualTo(T0.toString());
        assertThat((double) e.getProperty(PeakShaving.UNCONTROLLABLE_KW)).isCloseTo(13.8, within(1e-6));
        assertThat((double) e.getProperty(PeakShaving.PROJECTED_KW)).isGreaterThan(10);
        assertThat(p.health().status()).isEqualTo(HealthStatus.DEGRADED);

        // The snapshot keeps showing 35.9 kW for the whole interval: 8.97 kWh, counted from power.
        for (int sec = 20; sec < 900; sec += 10) {
            p.optimise(at(s, T0.plusSeconds(sec), 0), fullProposal());
        }
        assertThat(events.on(PeakShaving.PEAK_EXCEEDED)).isEmpty();
        p.optimise(at(s, T0.plusSeconds(901), 0), fullProposal());
        List<Event> exceeded = events.on(PeakShaving.PEAK_EXCEEDED);
        assertThat(exceeded).hasSize(1);
        assertThat((double) exceeded.get(0).getProperty(PeakShaving.AVERAGE_KW)).isCloseTo(35.88, within(0.01));
        assertThat(exceeded.get(0).getProperty(PeakShaving.COMPLETE)).isEqualTo(true);
        assertThat(events.on(PeakShaving.PEAK_UNAVOIDABLE)).hasSize(2); // the next interval, once
        assertThat(p.health().details().get(0)).contains("peak");
    }

    @Test
    void aBadConfigurationIsRefusedWithEveryReasonAndThePreviousOneStays() {
        Events events = new Events();
        PeakShaving p = new PeakShaving();
        p.setEventAdmin(events);
        p.configure(config(50, 15, 3, "Europe/Brussels"));
        p.configure(config(-1, 7, 80, "Mars/Olympus"));
        assertThat(p.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(String.join(" ", p.health().details())).contains("peakKw", "intervalMinutes", "headroomPercent", "timeZone",
                "previous one stays");
        assertThat(p.settings().peakKw()).isEqualTo(50);
        assertThat(p.settings().zone().getId()).isEqualTo("Europe/Brussels");
        assertThat(events.on(FuseboxEvents.CONFIG_REJECTED)).hasSize(1);
        assertThat(events.on(FuseboxEvents.CONFIG_REJECTED).get(0).getProperty(FuseboxEvents.PID)).isEqualTo(PeakShaving.PID);
        p.configure(config(40, 60, 0, ""));
        assertThat(p.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(p.settings().interval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void withoutAValidConfigurationOrAGridReadingNothingChanges() {
        PeakShaving p = new PeakShaving();
        p.configure(config(0, 15, 3, ""));
        assertThat(p.health().details().get(0)).contains("off until a valid one arrives");
        Setpoints proposal = fullProposal();
        assertThat(p.optimise(at(site(50), T0, 0), proposal)).isEqualTo(proposal);

        PeakShaving q = optimiser(5, 15, 3, "UTC");
        SiteSnapshot s = site(50);
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).timestamp(T0);
        s.chargers().forEach(b::charger);
        assertThat(q.optimise(b.build(), proposal)).isEqualTo(proposal);
        assertThat(q.currentInterval()).isNull();
    }

    @Test
    void withoutAnyPeakItSaysWhatToSetAndChangesNothing() {
        PeakShaving p = new PeakShaving();
        p.activate(config(0, 15, 3, ""), java.util.Map.of("component.name", "x"));

        assertThat(p.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(p.health().details()).singleElement().asString()
                .startsWith("not configured: set peakKw (the contracted peak, kW) in etc/fusebox.optimiser.peakshaving.cfg");
        Setpoints proposal = fullProposal();
        assertThat(p.optimise(at(site(50), T0, 0), proposal)).isEqualTo(proposal);

        p.activate(config(30, 15, 3, "UTC"), java.util.Map.of("peakKw", 30.0));
        assertThat(p.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(p.settings().peakKw()).isEqualTo(30);
    }
}

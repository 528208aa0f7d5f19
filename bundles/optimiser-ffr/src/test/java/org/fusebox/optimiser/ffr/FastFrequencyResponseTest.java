package org.fusebox.optimiser.ffr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Power;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class FastFrequencyResponseTest {

    private static final ConnectorRef CP1 = new ConnectorRef("cp-1", 1);
    private static final ConnectorRef CP2 = new ConnectorRef("cp-2", 1);

    private final FastFrequencyResponse ffr = configured();

    private static FastFrequencyResponse configured(Object... keyValues) {
        FastFrequencyResponse f = new FastFrequencyResponse();
        f.configure(Sites.props(keyValues));
        return f;
    }

    /** A 10 kW / 10 kW battery at {@code soc} on a 40 A site drawing 10 A per phase otherwise. */
    private static TestSites site(double soc) {
        return new TestSites().uncontrolled(10, 10, 10).battery("bat", soc, 0);
    }

    private static Setpoints idle() {
        return Setpoints.builder().batteryPower("bat", Power.ZERO).build();
    }

    private static double battery(Setpoints s) {
        return s.batteryPower("bat").orElseThrow().watts();
    }

    @Test
    void insideTheDeadBandTheBatteryKeepsItsPlan() {
        Setpoints plan = Setpoints.builder().batteryPower("bat", Power.ofWatts(-2500)).build();
        for (double hz : new double[] {50.0, 49.85, 50.2, 49.8}) {
            assertThat(battery(ffr.optimise(Sites.at(site(50), hz), plan))).as("%s Hz", hz).isEqualTo(-2500);
        }
    }

    @Test
    void underFrequencyDischargesInProportionBeyondTheBand() {
        assertThat(battery(ffr.optimise(Sites.at(site(50), 49.7), idle()))).isEqualTo(-3333); // a third of 10 kW
        assertThat(battery(ffr.optimise(Sites.at(site(50), 49.6), idle()))).isEqualTo(-6667);
        assertThat(battery(ffr.optimise(Sites.at(site(50), 49.5), idle()))).isEqualTo(-10_000);
        assertThat(battery(ffr.optimise(Sites.at(site(50), 48.0), idle()))).isEqualTo(-10_000); // saturated
    }

    @Test
    void overFrequencyCharges() {
        assertThat(battery(ffr.optimise(Sites.at(site(50), 50.35), idle()))).isEqualTo(5000);
        assertThat(battery(ffr.optimise(Sites.at(site(50), 50.8), idle()))).isEqualTo(10_000);
    }

    @Test
    void theResponseIsAnOffsetOnThePlanWithinTheRating() {
        Setpoints charging = Setpoints.builder().batteryPower("bat", Power.ofWatts(4000)).build();
        assertThat(battery(ffr.optimise(Sites.at(site(50), 49.6), charging))).isEqualTo(4000 - 6667);
        Setpoints discharging = Setpoints.builder().batteryPower("bat", Power.ofWatts(-8000)).build();
        assertThat(battery(ffr.optimise(Sites.at(site(50), 49.5), discharging))).isEqualTo(-10_000); // rated 10 kW
    }

    @Test
    void aConfiguredFullPowerIsSharedByRatingAndNeverAboveOne() {
        SiteSnapshot two = Sites.withBattery(Sites.at(new TestSites().uncontrolled(10, 10, 10).battery("bat", 50, 0), 49.5),
                "small", 5, 5, 50);
        Setpoints plan = Setpoints.builder().batteryPower("bat", Power.ZERO).batteryPower("small", Power.ZERO).build();

        Setpoints six = configured("maxPowerKw", 6).optimise(two, plan);
        assertThat(six.batteryPower("bat").orElseThrow().watts()).isEqualTo(-4000);
        assertThat(six.batteryPower("small").orElseThrow().watts()).isEqualTo(-2000);

        Setpoints fifty = configured("maxPowerKw", 50).optimise(two, plan);
        assertThat(fifty.batteryPower("bat").orElseThrow().watts()).isEqualTo(-10_000);
        assertThat(fifty.batteryPower("small").orElseThrow().watts()).isEqualTo(-5000);
    }

    @Test
    void neverAsksWhatTheSocBandForbids() {
        assertThat(battery(ffr.optimise(Sites.at(site(20), 49.5), idle()))).isZero(); // at the minimum
        assertThat(battery(ffr.optimise(Sites.at(site(12), 49.5), idle()))).isZero(); // below it
        assertThat(battery(ffr.optimise(Sites.at(site(100), 50.5), idle()))).isZero(); // full
        TestSites capped = site(90).limits(Sites.limits()); // maximum 90 %
        assertThat(battery(ffr.optimise(Sites.at(capped, 50.5), idle()))).isZero();
        assertThat(battery(ffr.optimise(Sites.at(capped, 49.5), idle()))).isEqualTo(-10_000);

        // a hair above the minimum: only what is left to it over two cycles (20 kWh x 0.001 % over 2 s = 360 W)
        assertThat(battery(ffr.optimise(Sites.at(site(20.001), 49.5), idle()))).isCloseTo(-360, within(1.0));
        // a plan that discharges at the minimum is not passed on
        Setpoints planned = Setpoints.builder().batteryPower("bat", Power.ofWatts(-3000)).build();
        assertThat(battery(ffr.optimise(Sites.at(site(20), 50.0), planned))).isZero();
    }

    @Test
    void chargingOnOverFrequencyStaysUnderTheFuse() {
        // 33 A per phase of other load, planning limit 38 A: 5 A x 230 V x 3 = 3450 W of room
        SiteSnapshot busy = Sites.at(new TestSites().uncontrolled(33, 30, 20).battery("bat", 50, 0), 50.6);
        assertThat(battery(ffr.optimise(busy, idle()))).isEqualTo(3450);
    }

    @Test
    void allowedChargersAreTurnedDownOnUnderFrequencyOnly() {
        FastFrequencyResponse withEv = configured("evChargers", "cp-1");
        TestSites s = site(50).charger("cp-1", TestSites.THREE, 32, ConnectorState.CHARGING, 10)
                .charger("cp-2", TestSites.THREE, 32, ConnectorState.CHARGING, 10);
        Setpoints plan = Setpoints.builder().batteryPower("bat", Power.ZERO).chargerLimit(CP1, Current.ofAmps(16))
                .chargerLimit(CP2, Current.ofAmps(16)).build();

        Setpoints dip = withEv.optimise(Sites.at(s, 49.7), plan);
        assertThat(dip.chargerLimit(CP1)).hasValue(Current.ofAmps(10.6)); // 16 A x 2/3, down to 0.1 A
        assertThat(dip.chargerLimit(CP2)).isEmpty(); // not allowed to respond: left to the plan

        Setpoints deep = withEv.optimise(Sites.at(s, 49.55), plan);
        assertThat(deep.chargerLimit(CP1)).hasValue(Current.ZERO); // 2.6 A is under the 6 A minimum: paused

        assertThat(withEv.optimise(Sites.at(s, 50.4), plan).chargerLimit(CP1)).isEmpty();
        assertThat(withEv.optimise(Sites.at(s, 49.9), plan).chargerLimit(CP1)).isEmpty();
        assertThat(configured("evChargers", "*").optimise(Sites.at(s, 49.7), plan).chargerLimit(CP2))
                .hasValue(Current.ofAmps(10.6));
    }

    @Test
    void withoutAFreshFrequencyItChangesNothingAndSaysSo() {
        assertThat(ffr.optimise(Sites.at(site(50), Double.NaN), idle()).isEmpty()).isTrue();
        assertThat(ffr.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(ffr.health().details().get(0)).contains("no fresh grid frequency");

        assertThat(ffr.optimise(Sites.at(site(50), 49.5, Duration.ofSeconds(4)), idle()).isEmpty()).isTrue(); // 4 s old
        assertThat(battery(ffr.optimise(Sites.at(site(50), 49.5, Duration.ofSeconds(2)), idle()))).isEqualTo(-10_000);
        assertThat(ffr.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(ffr.health().details().get(0)).contains("49.500 Hz", "response -100 %", "-10.0 kW");
    }

    @Test
    void invalidConfigurationsAreRefusedWithEveryReasonAndThePreviousKept() {
        List<Event> posted = new ArrayList<>();
        FastFrequencyResponse f = configured("deadBandHz", 0.1);
        f.setEventAdmin(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        });

        f.configure(Sites.props("deadBandHz", 0.6, "nominalHz", "fifty", "maxPowerKw", -1, "deadbandHz", 0.2,
                "service.pid", "fusebox.optimiser.ffr"));

        assertThat(f.settings().deadBandHz()).isEqualTo(0.1);
        assertThat(f.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(f.health().details().get(0)).contains("refused", "previous one stays in force",
                "fullResponseDeviationHz must be above deadBandHz (0.6)", "nominalHz must be a number, got 'fifty'",
                "maxPowerKw must be within 0..100000", "unknown key 'deadbandHz'").doesNotContain("service.pid");
        assertThat(posted).singleElement().satisfies(e -> {
            assertThat(e.getTopic()).isEqualTo(FuseboxEvents.CONFIG_REJECTED);
            assertThat(e.getProperty(FuseboxEvents.PID)).isEqualTo("fusebox.optimiser.ffr");
        });

        f.configure(Sites.props("evChargers", "*, cp-1"));
        assertThat(f.health().details().get(0)).contains("evChargers is either * or a list of charger ids");
        f.configure(Sites.props("cycleStepPercent", 0, "maxReadingAgeMillis", 20.5));
        assertThat(f.health().details().get(0)).contains("cycleStepPercent must be within 0.1..50",
                "maxReadingAgeMillis must be a whole number");

        f.configure(Sites.props("deadBandHz", "0.15", "evChargers", new String[] {"cp-1", "cp-2"}));
        assertThat(f.settings().deadBandHz()).isEqualTo(0.15);
        assertThat(f.settings().chargers()).containsExactlyInAnyOrder("cp-1", "cp-2");
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void withoutConfigurationTheDefaultsApply() {
        FfrSettings s = configured().settings();
        assertThat(s).isEqualTo(FfrSettings.DEFAULTS);
        assertThat(s.toString()).isEqualTo("nominal 50 Hz, dead band ±0.2 Hz, full response at ±0.5 Hz with the batteries' "
                + "ratings, EV chargers none");
    }

    @Test
    void physicalTierRankedBeforeTheFuseOptimiser() throws Exception {
        assertThat(ffr.tier()).isEqualTo(Tier.PHYSICAL);
        assertThat(ffr.name()).isEqualTo("ffr");
        try (InputStream in = getClass().getResourceAsStream("/OSGI-INF/org.fusebox.optimiser.ffr.FastFrequencyResponse.xml")) {
            assertThat(in).as("the component description bnd generates").isNotNull();
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(xml).contains("<property name=\"service.ranking\" type=\"Integer\" value=\"1000\"/>",
                    "configuration-pid=\"fusebox.optimiser.ffr\"", "interface=\"org.fusebox.api.device.GridMeter\"");
            assertThat(xml).containsPattern("name=\"GridMeter\" cardinality=\"0..n\" policy=\"dynamic\"");
        }
    }
}

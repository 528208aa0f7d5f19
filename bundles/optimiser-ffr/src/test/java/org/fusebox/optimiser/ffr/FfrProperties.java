package org.fusebox.optimiser.ffr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Power;
import org.fusebox.testing.TestSites;

/**
 * Whatever the frequency, the site and the plan: the battery is never asked beyond its rating, to discharge at
 * or below the minimum SoC or to charge at or above the maximum, and what it is asked does not fall as the
 * frequency rises; EV limits are never raised.
 */
class FfrProperties {

    /** A site: one battery (ratings, SoC), load per phase, an EV, the plan's battery power and EV limit. */
    record Case(double chargeKw, double dischargeKw, double soc, double l1, double l2, double l3, double planWatts,
            double evLimit, double maxPowerKw) {

        SiteSnapshot at(double hz) {
            TestSites t = new TestSites().limits(Sites.limits()).uncontrolled(l1, l2, l3)
                    .charger("cp", TestSites.THREE, 32, ConnectorState.CHARGING, Math.min(evLimit, 10));
            SiteSnapshot s = Sites.at(t, hz);
            return Sites.withBattery(s, "bat", chargeKw, dischargeKw, soc);
        }

        Setpoints plan() {
            return Setpoints.builder().batteryPower("bat", Power.ofWatts(planWatts))
                    .chargerLimit(new ConnectorRef("cp", 1), Current.ofAmps(evLimit)).build();
        }

        FastFrequencyResponse ffr() {
            FastFrequencyResponse f = new FastFrequencyResponse();
            f.configure(Sites.props("maxPowerKw", maxPowerKw, "evChargers", "cp"));
            return f;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Double> kw = Arbitraries.doubles().between(0, 30);
        Arbitrary<Double> soc = Arbitraries.oneOf(Arbitraries.doubles().between(0, 100), Arbitraries.of(0.0, 19.99, 20.0,
                20.0001, 50.0, 89.9999, 90.0, 100.0));
        Arbitrary<Double> amps = Arbitraries.doubles().between(-60, 60);
        Arbitrary<Double> plan = Arbitraries.doubles().between(-40_000, 40_000);
        Arbitrary<Double> ev = Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.doubles().between(6, 32));
        Arbitrary<Double> max = Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.doubles().between(0.1, 50));
        return Combinators.combine(List.of(kw, kw, soc, amps, amps, amps, plan, ev, max))
                .as(v -> new Case((Double) v.get(0), (Double) v.get(1), (Double) v.get(2), (Double) v.get(3), (Double) v.get(4),
                        (Double) v.get(5), (Double) v.get(6), (Double) v.get(7), (Double) v.get(8)));
    }

    @Property(tries = 1500)
    void theBatteryIsAskedOnlyWhatItMayDo(@ForAll("cases") Case c, @ForAll @DoubleRange(min = 45, max = 55) double hz) {
        SiteSnapshot site = c.at(hz);
        Setpoints out = c.ffr().optimise(site, c.plan());
        double p = out.batteryPower("bat").orElseThrow().watts();
        BatteryState b = site.battery("bat").orElseThrow();
        BatteryRatings r = b.ratings();
        double soc = b.reading().soc().value();

        assertThat(p).isBetween(-r.maxDischargePower().watts(), r.maxChargePower().watts());
        if (soc <= site.limits().batteryMinSoc().value()) {
            assertThat(p).as("discharging at %s %% SoC", soc).isGreaterThanOrEqualTo(0);
        }
        if (soc >= site.limits().batteryMaxSoc().value()) {
            assertThat(p).as("charging at %s %% SoC", soc).isLessThanOrEqualTo(0);
        }
        assertThat(out.chargerLimit(new ConnectorRef("cp", 1)).orElse(Current.ofAmps(c.evLimit())).amps())
                .isLessThanOrEqualTo(c.evLimit());
    }

    @Property(tries = 1500)
    void moreFrequencyNeverMeansLessBatteryPower(@ForAll("cases") Case c, @ForAll @DoubleRange(min = 45, max = 55) double a,
            @ForAll @DoubleRange(min = 45, max = 55) double b) {
        double low = Math.min(a, b);
        double high = Math.max(a, b);
        FastFrequencyResponse ffr = c.ffr();
        double atLow = ffr.optimise(c.at(low), c.plan()).batteryPower("bat").orElseThrow().watts();
        double atHigh = ffr.optimise(c.at(high), c.plan()).batteryPower("bat").orElseThrow().watts();
        assertThat(atLow).as("%s Hz -> %s W, %s Hz -> %s W", low, atLow, high, atHigh).isLessThanOrEqualTo(atHigh);
    }

    @Property(tries = 500)
    void theDroopIsMonotoneAndBounded(@ForAll @DoubleRange(min = 0.001, max = 99.999) @Scale(4) double a,
            @ForAll @DoubleRange(min = 0.001, max = 99.999) @Scale(4) double b, @ForAll @IntRange(min = 0, max = 150) int bandCentiHz) {
        FfrSettings s = FfrSettings.from(Sites.props("deadBandHz", bandCentiHz / 100.0, "fullResponseDeviationHz",
                bandCentiHz / 100.0 + 0.3));
        double ra = Droop.response(Math.min(a, b), s);
        double rb = Droop.response(Math.max(a, b), s);
        assertThat(ra).isBetween(-1.0, 1.0).isLessThanOrEqualTo(rb);
    }
}

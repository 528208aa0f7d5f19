package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PowerSlot;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

class EvDeadlinePlanTest {

    private static final Instant T0 = TestSites.T0; // 18:00 UTC

    private static PriceCurve hourlyPrices(String... perMwh) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int h = 0; h < perMwh.length; h++) {
            slots.add(new PriceSlot(T0.plus(Duration.ofHours(h)), Duration.ofHours(1), EnergyPrice.perMegawattHour(perMwh[h], "EUR")));
        }
        return new PriceCurve(slots);
    }

    private static EvSession session(String id, double requestedKwh, Instant departure) {
        return new EvSession(id, null, T0.minus(Duration.ofHours(1)), Energy.ZERO,
                requestedKwh < 0 ? null : Energy.ofKilowattHours(requestedKwh), departure, null, null);
    }

    /** Two EVs, one three-phase and one single-phase, under a fuse with the given uncontrolled load. */
    private static SiteSnapshot site(PriceCurve prices, Instant now, double uncontrolled, EvSession a, EvSession b) {
        TestSites t = new TestSites().limits(TestSites.limits(63, 3)).uncontrolled(uncontrolled, uncontrolled, uncontrolled)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 0, 16, a);
        if (b != null) {
            t.charger("b", List.of(Phase.L2), 32, ConnectorState.CHARGING, 0, 32, b);
        }
        SiteSnapshot s = t.build();
        SiteSnapshot.Builder out = SiteSnapshot.builder(s.limits()).timestamp(now).grid(s.grid()).prices(prices);
        s.chargers().forEach(out::charger);
        return out.build();
    }

    private static EvDeadlineCharging optimiser() {
        EvDeadlineCharging o = new EvDeadlineCharging(ZoneOffset.UTC);
        o.configure(EvDeadlineChargingTest.config(15, 10, 30));
        return o;
    }

    private static PlanLine line(Plan plan, String charger) {
        return plan.lines().stream().filter(l -> l.deviceId().equals(charger)).findFirst().orElseThrow();
    }

    @Test
    void theFirstSlotOfEachLineIsTheSetpointSentNow() {
        Instant now = T0.plus(Duration.ofMinutes(7));
        EvDeadlineCharging o = optimiser();
        assertThat(o.plan()).isEmpty();
        SiteSnapshot s = site(hourlyPrices("20", "150", "150"), now, 10,
                session("s-a", 12, T0.plus(Duration.ofHours(3))), session("s-b", 3, T0.plus(Duration.ofHours(2))));
        Setpoints out = o.optimise(s, Setpoints.empty());
        Plan plan = o.plan().orElseThrow();
        assertThat(plan.optimiser()).isEqualTo("ev-deadline");
        assertThat(plan.computedAt()).isEqualTo(now);
        assertThat(plan.lines()).hasSize(2);
        for (PlanLine l : plan.lines()) {
            PowerSlot first = l.power().get(0);
            assertThat(first.start()).isEqualTo(now);
            assertThat(first.contains(now)).isTrue();
            double amps = out.chargerLimit(new ConnectorRef(l.deviceId(), l.connectorId())).orElseThrow().amps();
            int phases = l.deviceId().equals("a") ? 3 : 1;
            assertThat(amps).isPositive();
            assertThat(first.power().watts()).isCloseTo(amps * 230 * phases, within(1e-6));
            // The slots cover the horizon without gaps, up to the last known price.
            for (int k = 1; k < l.power().size(); k++) {
                assertThat(l.power().get(k).start()).isEqualTo(l.power().get(k - 1).end());
            }
            assertThat(l.power().get(l.power().size() - 1).end()).isEqualTo(T0.plus(Duration.ofHours(3)));
            double kwh = l.power().stream().mapToDouble(p -> p.energy().kilowattHours()).sum();
            assertThat(l.planned().kilowattHours()).isCloseTo(kwh, within(1e-9));
            assertThat(l.targetMet()).isTrue();
            assertThat(l.note()).isEmpty();
        }
        assertThat(line(plan, "a").wanted().kilowattHours()).isEqualTo(12.0);
        assertThat(line(plan, "a").deadline()).isEqualTo(T0.plus(Duration.ofHours(3)));
        assertThat(line(plan, "b").connectorId()).isEqualTo(1);
    }

    @Test
    void anEvThatCannotMakeItIsReportedWithTheNumbersAndTheReason() {
        // 40 kWh by 20:00 at 11 kW at most: 11 kW x 2 h = 22 kWh.
        EvDeadlineCharging o = optimiser();
        o.optimise(site(hourlyPrices("50", "60", "70"), T0, 5, session("s-a", 40, T0.plus(Duration.ofHours(2))), null),
                Setpoints.empty());
        Plan plan = o.plan().orElseThrow();
        PlanLine a = line(plan, "a");
        assertThat(a.targetMet()).isFalse();
        assertThat(a.planned().kilowattHours()).isCloseTo(22.08, within(0.01));
        assertThat(a.note()).isEqualTo("needs 40.0 kWh, can get 22.1 by 20:00 because it can draw at most 11.0 kW");
        assertThat(plan.notes()).contains("1 of 1 EVs will miss their target");
    }

    @Test
    void theReasonNamesTheEndOfThePricesOrTheSharing() {
        EvDeadlineCharging o = optimiser();
        // Leaves at 06:00 next day, but prices are known only for two hours.
        o.optimise(site(hourlyPrices("50", "60"), T0, 5, session("s-a", 40, T0.plus(Duration.ofHours(12))), null),
                Setpoints.empty());
        assertThat(line(o.plan().orElseThrow(), "a").note())
                .isEqualTo("needs 40.0 kWh, can get 22.1 by 2026-01-16 06:00 because prices are known only until 20:00");

        // 63 A fuse, 3 A margin, 54 A uncontrolled: 6 A x 3 x 230 V = 4.1 kW for two EVs that each could make it alone.
        o.optimise(site(hourlyPrices("50", "60"), T0, 54, session("s-a", 8, T0.plus(Duration.ofHours(2))),
                session("s-b", 1, T0.plus(Duration.ofHours(2)))), Setpoints.empty());
        Plan plan = o.plan().orElseThrow();
        List<PlanLine> missed = plan.lines().stream().filter(l -> !l.targetMet()).toList();
        assertThat(missed).isNotEmpty();
        assertThat(missed.get(0).note()).endsWith("because the site's 4.1 kW for EVs is shared with 1 other EV");
    }

    @Test
    void costsAddUpPerSlotPerLineAndOverThePlan() {
        Instant now = T0.plus(Duration.ofMinutes(22));
        PriceCurve prices = hourlyPrices("120.5", "-10", "80", "33.3");
        EvDeadlineCharging o = optimiser();
        o.optimise(site(prices, now, 10, session("s-a", 25, T0.plus(Duration.ofHours(4))),
                session("s-b", 9, T0.plus(Duration.ofHours(3)))), Setpoints.empty());
        Plan plan = o.plan().orElseThrow();
        Money sum = Money.zero(java.util.Currency.getInstance("EUR"));
        for (PlanLine l : plan.lines()) {
            BigDecimal expected = BigDecimal.ZERO;
            for (PowerSlot p : l.power()) {
                // Each merged slot lies within one price hour or spans whole hours: price it minute by minute.
                for (Instant t = p.start(); t.isBefore(p.end()); t = t.plusSeconds(60)) {
                    Instant end = t.plusSeconds(60).isAfter(p.end()) ? p.end() : t.plusSeconds(60);
                    Energy e = new PowerSlot(t, Duration.between(t, end), p.power()).energy();
                    expected = expected.add(prices.at(t).orElseThrow().price().costOf(e).amount());
                }
            }
            assertThat(l.expectedCost().amount().doubleValue()).isCloseTo(expected.doubleValue(), within(1e-9));
            sum = sum.plus(l.expectedCost());
        }
        assertThat(plan.expectedCost()).isEqualTo(sum);
        assertThat(plan.expectedCost().amount().signum()).isPositive();
    }

    @Test
    void withoutPricesThePlanHasNoLinesAndSaysWhy() {
        EvDeadlineCharging o = optimiser();
        o.optimise(site(PriceCurve.EMPTY, T0, 5, session("s-a", 10, T0.plus(Duration.ofHours(2))), null), Setpoints.empty());
        Plan plan = o.plan().orElseThrow();
        assertThat(plan.lines()).isEmpty();
        assertThat(plan.expectedCost()).isNull();
        assertThat(plan.notes()).containsExactly("no price known for now: nothing planned, the proposal is kept");
    }

    @Test
    void assumedTargetsAreNoted() {
        EvDeadlineCharging o = optimiser();
        o.optimise(site(hourlyPrices("50", "60", "70"), T0, 5, session("s-a", -1, null), null), Setpoints.empty());
        PlanLine a = line(o.plan().orElseThrow(), "a");
        assertThat(a.note()).isEqualTo("energy and departure assumed (the session does not say)");
        assertThat(a.wanted().kilowattHours()).isEqualTo(30.0);
        assertThat(a.deadline()).isEqualTo(T0.plus(Duration.ofHours(9)));
    }
}

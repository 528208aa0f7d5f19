package org.fusebox.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * Whatever the readings and prices: the slots add up to the session, in energy and exactly in money, and the
 * energy is what the register counted.
 */
class SessionMoneyProperties {

    record Step(int seconds, double wh) {
    }

    /** Quarter hours from T0, each priced (EUR/MWh, cents, negative allowed) or unknown (null). */
    @Provide
    Arbitrary<List<String>> prices() {
        Arbitrary<String> price = Arbitraries.bigDecimals().between(new BigDecimal("-500"), new BigDecimal("4000")).ofScale(2)
                .map(BigDecimal::toPlainString).injectNull(0.25);
        return price.list().ofMinSize(0).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // at most 22 kW over each step, so that no step is a meter jump
        Arbitrary<Step> step = Arbitraries.integers().between(1, 1800).flatMap(s -> Arbitraries.doubles()
                .between(0, Math.floor(22_000.0 * s / 3.6) / 1000).ofScale(3).map(wh -> new Step(s, wh)));
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void slotsAddUpToTheSessionAndTheCostIsExact(@ForAll("prices") List<String> prices, @ForAll("steps") List<Step> steps) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int i = 0; i < prices.size(); i++) {
            if (prices.get(i) != null) {
                slots.add(new PriceSlot(Site.T0.plus(Duration.ofMinutes(15L * i)), Duration.ofMinutes(15),
                        EnergyPrice.perMegawattHour(prices.get(i), "EUR")));
            }
        }
        SessionRecorder recorder = new SessionRecorder(RecorderSettings.DEFAULTS, SessionRecorder.SourceNamer.NONE);
        Site site = new Site().prices(new PriceCurve(slots));
        double register = 123_456.0;
        recorder.observe(site.at(Site.T0).charging("cp1", "1", "TAG", register).build());
        double counted = 0;
        Instant t = Site.T0;
        for (Step s : steps) {
            t = t.plus(Duration.ofSeconds(s.seconds()));
            register += s.wh();
            counted += s.wh();
            // the gateway never sees more than every few minutes, so no step is a gap that ends the session
            recorder.observe(site.at(t).charging("cp1", "1", "TAG", register).build());
        }
        ChargingSession session = recorder.active().get(0);

        assertThat(session.meterAnomalies()).isZero();
        assertThat(session.energy().wattHours()).isCloseTo(counted, within(1e-6 * Math.max(1, counted)));
        double slotSum = session.slots().stream().mapToDouble(x -> x.energy().wattHours()).sum();
        assertThat(slotSum).isCloseTo(session.energy().wattHours(), within(1e-9));

        Money sum = null;
        for (SlotEnergy slot : session.slots()) {
            if (slot.priced()) {
                assertThat(slot.cost()).isEqualTo(slot.price().costOf(slot.energy()));
                sum = sum == null ? slot.cost() : sum.plus(slot.cost());
            } else {
                assertThat(slot.cost()).isNull();
            }
        }
        assertThat(session.cost()).isEqualTo(sum);
        if (sum != null) {
            assertThat(session.cost().amount().compareTo(sum.amount())).isZero();
        }
        // every slot lies within the quarter hours of the site's curve or of the unpriced grid
        for (SlotEnergy slot : session.slots()) {
            assertThat(slot.length()).isEqualTo(Duration.ofMinutes(15));
            assertThat(Duration.between(Site.T0, slot.start()).toMinutes() % 15).isZero();
        }
        // and a round trip through the store changes nothing
        SessionStore.Entry back = SessionStore.read(SessionStore.write(new SessionStore.Entry(session, register, t, t)));
        assertThat(back.session()).isEqualTo(session);
    }
}

package org.fusebox.api.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.junit.jupiter.api.Test;

class ChargingSessionTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration Q = Duration.ofMinutes(15);
    private static final EnergyPrice P = EnergyPrice.perMegawattHour("250", "EUR");

    private static SlotEnergy priced(int quarter, double wh) {
        Energy e = Energy.ofWattHours(wh);
        return new SlotEnergy(T0.plus(Q.multipliedBy(quarter)), Q, e, P, P.costOf(e), "feed", null);
    }

    private static SlotEnergy unpriced(int quarter, double wh) {
        return new SlotEnergy(T0.plus(Q.multipliedBy(quarter)), Q, Energy.ofWattHours(wh), null, null, null, null);
    }

    private static ChargingSession session(Instant end, List<SlotEnergy> slots, double wh, Money cost) {
        return new ChargingSession("cp/1/1", "cp", 1, "1", "TAG", T0, end, end == null ? SessionStatus.ACTIVE : SessionStatus.FINISHED,
                Energy.ofWattHours(wh), slots, cost, 0, T0);
    }

    @Test
    void energyAndCostAreTheSumsOfTheSlots() {
        ChargingSession s = session(null, List.of(priced(0, 1000), unpriced(1, 500), priced(2, 2000)), 3500, Money.of("0.75", "EUR"));

        assertThat(s.cost()).isEqualTo(Money.of("0.75", "EUR"));
        assertThat(s.costComplete()).isFalse();
        assertThat(s.completeCost()).isEmpty();
        assertThat(s.unpricedEnergy()).isEqualTo(Energy.ofWattHours(500));
        assertThat(s.connector().toString()).isEqualTo("cp/1");
    }

    @Test
    void aRecordWhoseFiguresDoNotAddUpIsRefused() {
        assertThatThrownBy(() -> session(null, List.of(priced(0, 1000)), 1001, Money.of("0.25", "EUR")))
                .hasMessageContaining("not the sum of its slots");
        assertThatThrownBy(() -> session(null, List.of(priced(0, 1000)), 1000, Money.of("0.26", "EUR")))
                .hasMessageContaining("not the sum of its priced slots");
        assertThatThrownBy(() -> session(null, List.of(unpriced(0, 1000)), 1000, Money.of("0", "EUR")))
                .as("unknown is not zero").hasMessageContaining("not the sum of its priced slots");
        assertThatThrownBy(() -> session(null, List.of(priced(1, 1), priced(0, 1)), 2, P.costOf(Energy.ofWattHours(2))))
                .hasMessageContaining("out of order");
        assertThatThrownBy(() -> new ChargingSession("x", "cp", 1, "1", null, T0, null, SessionStatus.FINISHED, Energy.ZERO, List.of(),
                null, 0, T0)).hasMessageContaining("end exactly when");
        assertThatThrownBy(() -> new SlotEnergy(T0, Q, Energy.ofWattHours(-1), null, null, null, null)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new SlotEnergy(T0, Q, Energy.ZERO, P, null, null, null)).hasMessageContaining("exactly when");
    }

    @Test
    void overlapsAPeriodWhileActiveOrUntilItsEnd() {
        ChargingSession active = session(null, List.of(), 0, null);
        ChargingSession ended = session(T0.plus(Duration.ofHours(1)), List.of(), 0, null);

        assertThat(active.overlaps(T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(4)))).isTrue();
        assertThat(active.overlaps(T0.minusSeconds(60), T0)).isFalse();
        assertThat(ended.overlaps(T0.plus(Duration.ofMinutes(59)), T0.plus(Duration.ofHours(2)))).isTrue();
        assertThat(ended.overlaps(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)))).isFalse();
        assertThat(session(T0, List.of(), 0, null).overlaps(T0, T0.plusSeconds(1))).as("ended as it started").isTrue();
    }
}

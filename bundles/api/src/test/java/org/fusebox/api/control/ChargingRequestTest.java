package org.fusebox.api.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.fusebox.api.units.Energy;
import org.junit.jupiter.api.Test;

class ChargingRequestTest {

    private static final ConnectorRef CP1 = new ConnectorRef("cp-1", 1);
    private static final Instant NOW = Instant.parse("2026-11-23T18:00:00Z");

    @Test
    void keepsWhatTheDriverAskedFor() {
        ChargingRequest r = new ChargingRequest(CP1, Energy.ofKilowattHours(20.5), NOW.plusSeconds(3600), NOW);

        assertThat(r.energy().wattHours()).isEqualTo(20_500.0);
        assertThat(r.departure()).isEqualTo(NOW.plusSeconds(3600));
    }

    @Test
    void zeroOrNegativeEnergyIsRefused() {
        assertThatThrownBy(() -> new ChargingRequest(CP1, Energy.ZERO, NOW, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new ChargingRequest(CP1, Energy.ofWattHours(-1), NOW, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void departureIsRequired() {
        assertThatThrownBy(() -> new ChargingRequest(CP1, Energy.ofWattHours(1), null, NOW))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("departure");
    }
}

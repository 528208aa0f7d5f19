package org.fusebox.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GridFrequencyTest {

    private static final Instant TEN = Instant.parse("2024-06-21T10:00:00Z");

    @Test
    void aSteadyFiftyHertzUntilToldOtherwise() {
        GridFrequency f = new GridFrequency();
        assertThat(f.hz(TEN)).isEqualTo(50.0);
        f.set(49.8);
        assertThat(f.hz(TEN)).isEqualTo(49.8);
        assertThat(f.hz(TEN.plusSeconds(86_400))).isEqualTo(49.8);
    }

    @Test
    void anEventRecursOnTheSimulatedClock() {
        GridFrequency f = new GridFrequency();
        f.set(50.0, new GridFrequency.Event(49.7, Duration.ofSeconds(10), Duration.ofMinutes(15)));

        assertThat(f.hz(TEN)).isEqualTo(49.7);
        assertThat(f.hz(TEN.plusMillis(9_999))).isEqualTo(49.7);
        assertThat(f.hz(TEN.plusSeconds(10))).isEqualTo(50.0);
        assertThat(f.hz(TEN.plusSeconds(14 * 60 + 59))).isEqualTo(50.0);
        assertThat(f.hz(TEN.plusSeconds(15 * 60 + 5))).isEqualTo(49.7);
        assertThat(f.hz(TEN.minusSeconds(1))).isEqualTo(50.0);
    }

    @Test
    void impossibleFrequenciesAndEventsAreRefused() {
        GridFrequency f = new GridFrequency();
        assertThatThrownBy(() -> f.set(0)).hasMessageContaining("within 0 and 100 Hz");
        assertThatThrownBy(() -> f.set(Double.NaN)).hasMessageContaining("within 0 and 100 Hz");
        assertThatThrownBy(() -> new GridFrequency.Event(49.7, Duration.ofMinutes(15), Duration.ofMinutes(15)))
                .hasMessageContaining("less than its period");
        assertThat(f.hz(TEN)).isEqualTo(50.0);
    }

    @Test
    void theGridMeterMeasuresTheFrequencyItIsConnectedTo() {
        SiteModel m = new SiteModel(TestSites.quiet().build(), new TestSites.ManualNanos());
        assertThat(m.grid().hz()).isEqualTo(50.0);
        GridFrequency f = new GridFrequency();
        m.connectGridFrequency(f);
        f.set(49.6);
        assertThat(m.grid().hz()).isEqualTo(50.0); // measured at the next step
        m.step(Duration.ofSeconds(1));
        assertThat(m.grid().hz()).isEqualTo(49.6);
    }
}

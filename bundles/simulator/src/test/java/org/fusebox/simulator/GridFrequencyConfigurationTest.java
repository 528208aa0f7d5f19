package org.fusebox.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Hashtable;
import org.fusebox.simulator.model.GridFrequency;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationException;

class GridFrequencyConfigurationTest {

    private static final Instant TEN = Instant.parse("2024-06-21T10:00:00Z");

    private final GridFrequency frequency = new GridFrequency();
    private final GridFrequencyConfiguration config = new GridFrequencyConfiguration(frequency);

    private static Hashtable<String, Object> props(Object... keyValues) {
        Hashtable<String, Object> p = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void setsTheFrequencyAndDeletingBringsBackFiftyHertz() throws Exception {
        config.updated(props("frequencyHz", "49.70"));
        assertThat(frequency.hz(TEN)).isEqualTo(49.7);
        assertThat(frequency.hz(TEN.plusSeconds(3600))).isEqualTo(49.7); // no event unless asked

        config.updated(props("frequencyHz", 50.3));
        assertThat(frequency.hz(TEN)).isEqualTo(50.3);

        config.updated(null);
        assertThat(frequency.hz(TEN)).isEqualTo(50.0);
    }

    @Test
    void anEventProfileIsOffUntilItHasAPeriod() throws Exception {
        config.updated(props("eventFrequencyHz", "49.6", "eventSeconds", "30"));
        assertThat(frequency.hz(TEN)).isEqualTo(50.0);

        config.updated(props("eventFrequencyHz", "49.6", "eventSeconds", "30", "eventEveryMinutes", "10"));
        assertThat(frequency.hz(TEN.plusSeconds(29))).isEqualTo(49.6);
        assertThat(frequency.hz(TEN.plusSeconds(30))).isEqualTo(50.0);
        assertThat(frequency.hz(TEN.plusSeconds(600))).isEqualTo(49.6);
    }

    @Test
    void aBadValueIsRefusedWithEveryReasonAndTheFrequencyStays() throws Exception {
        config.updated(props("frequencyHz", "49.9"));

        assertThatThrownBy(() -> config.updated(props("frequencyHz", "fast", "eventFrequencyHz", "80")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("frequencyHz must be a number, got 'fast'")
                .hasMessageContaining("eventFrequencyHz must be within 45 .. 65, got 80");
        assertThatThrownBy(() -> config.updated(props("eventSeconds", "60", "eventEveryMinutes", "1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("eventSeconds must be shorter than eventEveryMinutes, got 60 s every 1 min");
        assertThat(frequency.hz(TEN)).isEqualTo(49.9);
    }
}

package org.fusebox.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Hashtable;
import org.fusebox.api.units.Phase;
import org.fusebox.simulator.model.ExternalLoad;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationException;

class ExternalLoadConfigurationTest {

    private final ExternalLoad load = new ExternalLoad();
    private final ExternalLoadConfiguration config = new ExternalLoadConfiguration(load);

    @Test
    void setsEveryPhaseAndAbsentKeysMeanZero() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("l1Amps", "16.5");
        props.put("l3Amps", -4.0);
        config.updated(props);
        assertThat(load.amps(Phase.L1)).isEqualTo(16.5);
        assertThat(load.amps(Phase.L2)).isZero();
        assertThat(load.amps(Phase.L3)).isEqualTo(-4.0);

        config.updated(null);
        assertThat(load.amps(Phase.L1)).isZero();
        assertThat(load.amps(Phase.L3)).isZero();
    }

    @Test
    void aBadValueIsRefusedWithItsKeyAndNothingChanges() throws Exception {
        Hashtable<String, Object> good = new Hashtable<>();
        good.put("l1Amps", "10");
        good.put("l2Amps", "10");
        good.put("l3Amps", "10");
        config.updated(good);

        Hashtable<String, Object> bad = new Hashtable<>();
        bad.put("l1Amps", "5");
        bad.put("l2Amps", "lots");
        bad.put("l3Amps", "1e9");
        assertThatThrownBy(() -> config.updated(bad)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("l2Amps must be a number of amps, got 'lots'")
                .hasMessageContaining("l3Amps must be within");
        for (Phase p : Phase.values()) {
            assertThat(load.amps(p)).isEqualTo(10);
        }
    }
}

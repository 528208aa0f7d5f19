package org.fusebox.rest.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.junit.jupiter.api.Test;

class UnitsModuleTest {

    private final ObjectMapper mapper = ApiJson.newMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private String json(Object value) throws Exception {
        return mapper.writeValueAsString(value);
    }

    @Test
    void eachQuantityIsNamedByItsUnit() throws Exception {
        assertThat(json(Power.ofWatts(1234.5))).isEqualTo("{\"watts\":1234.5}");
        assertThat(json(Current.ofAmps(16))).isEqualTo("{\"amps\":16}");
        assertThat(json(Energy.ofKilowattHours(1.5))).isEqualTo("{\"wattHours\":1500}");
        assertThat(json(Voltage.ofVolts(230.1))).isEqualTo("{\"volts\":230.1}");
        assertThat(json(Percent.of(55.5))).isEqualTo("{\"percent\":55.5}");
        assertThat(json(Duration.ofMillis(1500))).isEqualTo("{\"millis\":1500}");
        assertThat(json(Duration.ofNanos(3_250_000))).isEqualTo("{\"millis\":3.25}");
    }

    @Test
    void phaseCurrentsAreOneCurrentPerPhase() throws Exception {
        assertThat(json(PhaseCurrents.ofAmps(31.25, 0, -2)))
                .isEqualTo("{\"l1\":{\"amps\":31.25},\"l2\":{\"amps\":0},\"l3\":{\"amps\":-2}}");
    }

    @Test
    void valuesAreRoundedToThreeDecimalsInPlainNotation() {
        assertThat(UnitsModule.plain(7359.999999999)).isEqualTo("7360");
        assertThat(UnitsModule.plain(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(UnitsModule.plain(1.23456E7)).isEqualTo("12345600");
        assertThat(UnitsModule.plain(-1.0005)).isEqualTo("-1.001");
        assertThat(UnitsModule.plain(-0.0001)).isEqualTo("0");
    }

    @Test
    void longDurationsDoNotOverflow() throws Exception {
        assertThat(json(Duration.ofDays(365 * 400))).isEqualTo("{\"millis\":12614400000000}");
    }
}

package org.fusebox.simulator.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Frames from the central system: whatever arrives is either a frame or a BadFrame, never anything else. */
class OcppJsonProperties {

    @Property(tries = 500)
    void anyTextIsAFrameOrABadFrame(@ForAll String text) {
        try {
            assertThat(OcppJson.parse(text)).isNotNull();
        } catch (OcppJson.BadFrame e) {
            assertThat(e.code()).isEqualTo("FormationViolation");
        }
    }

    @Property(tries = 200)
    void aCallRoundTrips(@ForAll @AlphaChars @StringLength(min = 1, max = 36) String id,
            @ForAll @AlphaChars @StringLength(min = 1, max = 30) String action) throws Exception {
        OcppJson.Frame f = OcppJson.parse(OcppJson.call(id, action, OcppJson.object().put("connectorId", 1)));
        assertThat(f).isInstanceOfSatisfying(OcppJson.Call.class, c -> {
            assertThat(c.uniqueId()).isEqualTo(id);
            assertThat(c.action()).isEqualTo(action);
            assertThat(c.payload().get("connectorId").intValue()).isEqualTo(1);
        });
    }

    @Test
    void aBrokenCallKeepsItsIdSoItCanBeAnswered() {
        assertThatThrownBy(() -> OcppJson.parse("[2,\"abc-1\",\"Reset\",{\"type\""))
                .isInstanceOfSatisfying(OcppJson.BadFrame.class, e -> assertThat(e.uniqueId()).isEqualTo("abc-1"));
        assertThatThrownBy(() -> OcppJson.parse("[2,\"abc-2\",\"Reset\",[]]"))
                .isInstanceOfSatisfying(OcppJson.BadFrame.class, e -> assertThat(e.uniqueId()).isEqualTo("abc-2"));
        assertThatThrownBy(() -> OcppJson.parse("[3,\"abc-3\",\"not an object\"]"))
                .isInstanceOfSatisfying(OcppJson.BadFrame.class, e -> assertThat(e.uniqueId()).isNull());
        assertThatThrownBy(() -> OcppJson.parse("{\"not\":\"an array\"}")).isInstanceOf(OcppJson.BadFrame.class);
    }

    @Test
    void errorsAndResultsAreFramedAsOcppJ() throws Exception {
        assertThat(OcppJson.error("7", "NotImplemented", "no")).isEqualTo("[4,\"7\",\"NotImplemented\",\"no\",{}]");
        assertThat(OcppJson.parse(OcppJson.result("8", OcppJson.object().put("status", "Accepted"))))
                .isInstanceOfSatisfying(OcppJson.Result.class,
                        r -> assertThat(r.payload().get("status").asText()).isEqualTo("Accepted"));
    }
}

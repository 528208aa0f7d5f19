package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.fusebox.api.units.Phase;
import org.fusebox.driver.ocpp.api.IdTagStatus;
import org.fusebox.driver.ocpp.api.RateUnit;
import org.junit.jupiter.api.Test;

class OcppSettingsTest {

    @Test
    void defaultsAndPerChargePointOptionsAreRead() throws Exception {
        OcppSettings s = OcppSettings.from(Configs.of(Map.of(
                "chargePoints", new String[] {"CP1, CP2:connectors=2;maxCurrent=16;phases=L2;unit=W"},
                "idTags", new String[] {"AA, bb=Blocked"})));
        assertThat(s.port).isEqualTo(8887);
        ChargePointSettings cp1 = s.chargePoint("CP1");
        assertThat(cp1.connectors()).isEqualTo(1);
        assertThat(cp1.maxCurrent()).isEqualTo(32);
        assertThat(cp1.minCurrent()).isEqualTo(6);
        assertThat(cp1.phases()).containsExactly(Phase.L1, Phase.L2, Phase.L3);
        ChargePointSettings cp2 = s.chargePoint("CP2");
        assertThat(cp2.connectorInfos()).hasSize(2);
        assertThat(cp2.phases()).containsExactly(Phase.L2);
        assertThat(cp2.unit()).isEqualTo(RateUnit.W);
        assertThat(s.chargePoint("CP3")).isNull();
        assertThat(s.idTags).containsEntry("AA", IdTagStatus.Accepted).containsEntry("BB", IdTagStatus.Blocked);
    }

    @Test
    void everyProblemIsNamedAndNoPasswordIsShown() {
        assertThatThrownBy(() -> OcppSettings.from(Configs.of(Map.of(
                "port", 70000,
                "bootPolicy", "Maybe",
                "chargePoints", new String[] {"CP1:maxCurrent=abc;colour=red", "bad id!"},
                "passwords", new String[] {"CP9=hunter2-secret"},
                "securityProfile", 2,
                "failsafeCurrent", 40.0,
                "callRetries", 9))))
                .isInstanceOf(OcppSettings.InvalidConfigurationException.class)
                .hasMessageContaining("port 70000")
                .hasMessageContaining("bootPolicy 'Maybe'")
                .hasMessageContaining("maxCurrent 'abc'")
                .hasMessageContaining("unknown option 'colour'")
                .hasMessageContaining("'bad id!'")
                .hasMessageContaining("CP9, which is not in chargePoints")
                .hasMessageContaining("securityProfile 2 needs tlsEnabled")
                .hasMessageContaining("needs a password for CP1")
                .hasMessageContaining("failsafeCurrent 40.0")
                .hasMessageContaining("callRetries 9")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void toStringNeverShowsPasswords() throws Exception {
        OcppSettings s = OcppSettings.from(Configs.of(Map.of("chargePoints", new String[] {"CP1"},
                "passwords", new String[] {"CP1=topsecret-123"}, "securityProfile", 1)));
        assertThat(s.toString()).doesNotContain("topsecret").contains("1 password(s)");
        assertThat(s.passwordFor("CP1")).isEqualTo("topsecret-123");
    }

    @Test
    void tlsNeedsAReadableKeyStore() {
        assertThatThrownBy(() -> OcppSettings.from(Configs.of(Map.of("tlsEnabled", true, "tlsKeystorePath", "/nonexistent/ks.p12"))))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void theDefaultSecurityProfileNeedsAPasswordPerChargePoint() {
        assertThatThrownBy(() -> OcppSettings.from(Configs.withDefaults(Map.of("chargePoints", new String[] {"CP1"}))))
                .hasMessageContaining("securityProfile 1 needs a password for CP1");
    }

    @Test
    void resourceAndLimitSettingsAreChecked() {
        assertThatThrownBy(() -> OcppSettings.from(Configs.of(Map.of("maxMessageBytes", 100, "limitStepAmps", 0.0,
                "profileValiditySeconds", 5, "maxMessagesPerSecond", 0))))
                .hasMessageContaining("maxMessageBytes 100 is outside")
                .hasMessageContaining("limitStepAmps 0.0 is outside")
                .hasMessageContaining("profileValiditySeconds 5 is outside")
                .hasMessageContaining("maxMessagesPerSecond 0 is outside");
    }
}

package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.units.Phase;
import org.fusebox.driver.ocpp.api.LimitProfile;
import org.fusebox.driver.ocpp.api.ProfilePurpose;
import org.fusebox.driver.ocpp.api.RateUnit;
import org.fusebox.driver.ocpp.protocol.Schemas;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {

    private static final ChargePointSettings THREE_PHASE_A = new ChargePointSettings(2, 32, 6, 6,
            List.of(Phase.L1, Phase.L2, Phase.L3), RateUnit.A);
    private static final ChargePointSettings ONE_PHASE_W = new ChargePointSettings(1, 16, 6, 6, List.of(Phase.L2), RateUnit.W);

    @Test
    void withoutATransactionTheLimitGoesToTheConnectorsDefaultProfile() {
        LimitProfile p = ProfileBuilder.forCurrent(THREE_PHASE_A, 2, 13.37, null, 1, 230);
        assertThat(p.purpose()).isEqualTo(ProfilePurpose.TxDefaultProfile);
        assertThat(p.profileId()).isEqualTo(102);
        assertThat(p.limit()).isEqualTo(13.3);
        assertThat(p.numberPhases()).isEqualTo(3);
        assertThat(p.transactionId()).isNull();
    }

    @Test
    void aRunningTransactionGetsATxProfileAndWattsAreComputedAtTheNominalVoltage() {
        LimitProfile p = ProfileBuilder.forCurrent(ONE_PHASE_W, 1, 10, 77, 3, 230);
        assertThat(p.purpose()).isEqualTo(ProfilePurpose.TxProfile);
        assertThat(p.transactionId()).isEqualTo(77);
        assertThat(p.unit()).isEqualTo(RateUnit.W);
        assertThat(p.limit()).isEqualTo(2300.0);
        assertThat(p.numberPhases()).isEqualTo(1);
        assertThat(ProfileBuilder.toAmps(ONE_PHASE_W, p.limit(), 230)).isEqualTo(10.0);
    }

    @Test
    void roundingNeverRaisesALimit() {
        assertThat(ProfileBuilder.roundAmps(6.09)).isEqualTo(6.0);
        assertThat(ProfileBuilder.roundAmps(16.0)).isEqualTo(16.0);
        assertThat(ProfileBuilder.roundAmps(0.05)).isEqualTo(0.0);
    }

    @Test
    void theRequestHasTheOcppShape() {
        LimitProfile p = ProfileBuilder.forCurrent(THREE_PHASE_A, 1, 16, 9, 1, 230);
        JsonNode r = ProfileBuilder.setChargingProfile(1, p, Instant.parse("2024-05-01T12:00:30.5Z"));
        assertThat(r.get("connectorId").intValue()).isEqualTo(1);
        JsonNode prof = r.get("csChargingProfiles");
        assertThat(prof.get("chargingProfileId").intValue()).isEqualTo(201);
        assertThat(prof.get("transactionId").intValue()).isEqualTo(9);
        assertThat(prof.get("stackLevel").intValue()).isEqualTo(1);
        assertThat(prof.get("chargingProfilePurpose").asText()).isEqualTo("TxProfile");
        assertThat(prof.get("chargingProfileKind").asText()).isEqualTo("Absolute");
        JsonNode schedule = prof.get("chargingSchedule");
        assertThat(schedule.get("startSchedule").asText()).isEqualTo("2024-05-01T11:59:30Z");
        assertThat(schedule.get("chargingRateUnit").asText()).isEqualTo("A");
        JsonNode period = schedule.get("chargingSchedulePeriod").get(0);
        assertThat(period.get("startPeriod").intValue()).isZero();
        assertThat(period.get("limit").doubleValue()).isEqualTo(16.0);
        assertThat(period.get("numberPhases").intValue()).isEqualTo(3);
        assertThat(prof.has("validFrom")).isFalse();
        assertThat(Schemas.outgoingActions()).contains("SetChargingProfile");
    }
}

package org.fusebox.simulator.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fusebox.simulator.ocpp.ChargingProfile.Purpose;
import org.junit.jupiter.api.Test;

/** Which limit a set of charging profiles puts in force, and when. */
class ChargingProfilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final double V = 230;

    private static ObjectNode json(int id, int stack, String purpose, String kind, Instant start, String unit,
            double... startsAndLimits) {
        ObjectNode schedule = JSON.createObjectNode().put("chargingRateUnit", unit);
        if (start != null) {
            schedule.put("startSchedule", start.toString());
        }
        ArrayNode periods = schedule.putArray("chargingSchedulePeriod");
        for (int i = 0; i < startsAndLimits.length; i += 2) {
            periods.addObject().put("startPeriod", (int) startsAndLimits[i]).put("limit", startsAndLimits[i + 1]);
        }
        ObjectNode p = JSON.createObjectNode().put("chargingProfileId", id).put("stackLevel", stack)
                .put("chargingProfilePurpose", purpose).put("chargingProfileKind", kind);
        p.set("chargingSchedule", schedule);
        return p;
    }

    private static ChargingProfile parse(int connectorId, ObjectNode json) throws CallError {
        return ChargingProfile.parse(connectorId, new Payload(json), T0);
    }

    private static double amps(ChargingProfiles set, Instant at, Integer tx, Instant txStart) {
        return set.limitAmps(at, tx, txStart, 3, V).orElseThrow();
    }

    @Test
    void thePeriodInForceFollowsTheClock() throws Exception {
        ChargingProfiles set = ChargingProfiles.NONE.install(parse(1,
                json(1, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 16, 600, 10, 1200, 0)));

        assertThat(set.limitAmps(T0.minusSeconds(1), null, null, 3, V)).isEmpty();
        assertThat(amps(set, T0, null, null)).isEqualTo(16);
        assertThat(amps(set, T0.plusSeconds(599), null, null)).isEqualTo(16);
        assertThat(amps(set, T0.plusSeconds(600), null, null)).isEqualTo(10);
        assertThat(amps(set, T0.plusSeconds(5000), null, null)).isZero();
    }

    @Test
    void durationAndValidityEndAProfile() throws Exception {
        ObjectNode j = json(1, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 16);
        ((ObjectNode) j.get("chargingSchedule")).put("duration", 300);
        ChargingProfiles set = ChargingProfiles.NONE.install(parse(1, j));
        assertThat(amps(set, T0.plusSeconds(299), null, null)).isEqualTo(16);
        assertThat(set.limitAmps(T0.plusSeconds(300), null, null, 3, V)).isEmpty();

        ObjectNode valid = json(2, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 12)
                .put("validTo", T0.plusSeconds(60).toString());
        ChargingProfiles other = ChargingProfiles.NONE.install(parse(1, valid));
        assertThat(amps(other, T0.plusSeconds(59), null, null)).isEqualTo(12);
        assertThat(other.limitAmps(T0.plusSeconds(60), null, null, 3, V)).isEmpty();
    }

    @Test
    void theHighestStackLevelWinsAndATxProfileOverridesTheDefaultWhileACapLimitsBoth() throws Exception {
        ChargingProfiles set = ChargingProfiles.NONE
                .install(parse(0, json(1, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 20)))
                .install(parse(1, json(2, 3, "TxDefaultProfile", "Absolute", T0, "A", 0, 14)))
                .install(parse(1, json(3, 1, "TxProfile", "Absolute", T0, "A", 0, 9)));

        assertThat(amps(set, T0, null, null)).as("no transaction: the highest default").isEqualTo(14);
        assertThat(amps(set, T0, 7, T0)).as("a transaction: its profile").isEqualTo(9);

        ChargingProfiles capped = set.install(parse(0, json(4, 0, "ChargePointMaxProfile", "Absolute", T0, "A", 0, 8)));
        assertThat(amps(capped, T0, 7, T0)).isEqualTo(8);
        assertThat(amps(capped.withoutTxProfiles(), T0, null, null)).isEqualTo(8);
        assertThat(amps(set.withoutTxProfiles(), T0, 7, T0)).as("TxProfiles end with the transaction").isEqualTo(14);
    }

    @Test
    void aTxProfileForAnotherTransactionDoesNotApply() throws Exception {
        ObjectNode j = json(5, 2, "TxProfile", "Absolute", T0, "A", 0, 7).put("transactionId", 42);
        ChargingProfiles set = ChargingProfiles.NONE.install(parse(1, j))
                .install(parse(1, json(1, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 16)));
        assertThat(amps(set, T0, 42, T0)).isEqualTo(7);
        assertThat(amps(set, T0, 43, T0)).isEqualTo(16);
    }

    @Test
    void wattsBecomeAmpsOverThePhasesInUse() throws Exception {
        ChargingProfiles set = ChargingProfiles.NONE.install(parse(1,
                json(1, 0, "TxDefaultProfile", "Absolute", T0, "W", 0, 11_040)));
        assertThat(set.limitAmps(T0, null, null, 3, V).orElseThrow()).isCloseTo(16, within(1e-9));
        assertThat(set.limitAmps(T0, null, null, 1, V).orElseThrow()).isCloseTo(48, within(1e-9));
    }

    @Test
    void relativeStartsWithTheTransactionAndRecurringRepeatsDaily() throws Exception {
        ChargingProfiles relative = ChargingProfiles.NONE.install(parse(1,
                json(1, 0, "TxProfile", "Relative", null, "A", 0, 32, 3600, 8)));
        Instant txStart = T0.plusSeconds(100);
        assertThat(amps(relative, txStart.plusSeconds(3599), 1, txStart)).isEqualTo(32);
        assertThat(amps(relative, txStart.plusSeconds(3600), 1, txStart)).isEqualTo(8);

        ObjectNode daily = json(2, 0, "TxDefaultProfile", "Recurring", T0, "A", 0, 6, 3600, 16)
                .put("recurrencyKind", "Daily");
        ChargingProfiles recurring = ChargingProfiles.NONE.install(parse(1, daily));
        assertThat(amps(recurring, T0.plusSeconds(86_400 * 3 + 10), null, null)).isEqualTo(6);
        assertThat(amps(recurring, T0.plusSeconds(86_400 * 3 + 3601), null, null)).isEqualTo(16);
    }

    @Test
    void sameIdOrSameSlotReplacesAndClearMatchesItsCriteria() throws Exception {
        ChargingProfiles set = ChargingProfiles.NONE
                .install(parse(1, json(1, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 16)))
                .install(parse(1, json(1, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 12)))
                .install(parse(1, json(2, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 10)))
                .install(parse(0, json(3, 0, "ChargePointMaxProfile", "Absolute", T0, "A", 0, 30)));
        assertThat(set.installed()).extracting(ChargingProfile::id).containsExactly(2, 3);
        assertThat(set.clear(3, 1, Purpose.TxDefaultProfile, null).installed()).extracting(ChargingProfile::id)
                .containsExactly(2);
        assertThat(set.clear(null, null, Purpose.TxDefaultProfile, null).installed()).extracting(ChargingProfile::id)
                .containsExactly(3);
        assertThat(set.clear(null, 1, null, 5).installed()).hasSize(2);
    }

    @Test
    void theCompositeScheduleListsWhereTheLimitChangesWithTheFailsafeInGaps() throws Exception {
        ObjectNode j = json(1, 0, "TxDefaultProfile", "Absolute", T0.plusSeconds(60), "A", 0, 16, 120, 10);
        ((ObjectNode) j.get("chargingSchedule")).put("duration", 300);
        ChargingProfiles set = ChargingProfiles.NONE.install(parse(1, j));
        List<ChargingProfiles.CompositePeriod> periods = set.composite(T0, 600, null, null, 3, V, 6);
        assertThat(periods).containsExactly(new ChargingProfiles.CompositePeriod(0, 6),
                new ChargingProfiles.CompositePeriod(60, 16), new ChargingProfiles.CompositePeriod(180, 10),
                new ChargingProfiles.CompositePeriod(360, 6));
    }

    @Test
    void badProfilesAreRefusedWithTheOcppErrorCode() {
        ObjectNode noSchedule = json(1, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, 16);
        noSchedule.remove("chargingSchedule");
        assertThatThrownBy(() -> parse(1, noSchedule)).isInstanceOf(CallError.class)
                .satisfies(e -> assertThat(((CallError) e).code()).isEqualTo("ProtocolError"));
        ObjectNode badPurpose = json(1, 0, "Everything", "Absolute", T0, "A", 0, 16);
        assertThatThrownBy(() -> parse(1, badPurpose))
                .satisfies(e -> assertThat(((CallError) e).code()).isEqualTo("PropertyConstraintViolation"));
        ObjectNode negative = json(1, 0, "TxDefaultProfile", "Absolute", T0, "A", 0, -1);
        assertThatThrownBy(() -> parse(1, negative))
                .satisfies(e -> assertThat(((CallError) e).code()).isEqualTo("PropertyConstraintViolation"));
        ObjectNode recurringWithoutKind = json(1, 0, "TxDefaultProfile", "Recurring", T0, "A", 0, 16);
        assertThatThrownBy(() -> parse(1, recurringWithoutKind)).isInstanceOf(CallError.class);
    }

    /** Whatever default profiles are stacked, the one with the highest stack level decides. */
    @Property(tries = 200)
    void theHighestStackLevelAlwaysDecides(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 20) Integer> levels)
            throws Exception {
        ChargingProfiles set = ChargingProfiles.NONE;
        int id = 0;
        for (int level : levels) {
            // the limit names the level, so the winner can be recognised
            set = set.install(parse(1, json(++id, level, "TxDefaultProfile", "Absolute", T0, "A", 0, level + 6)));
        }
        OptionalDouble limit = set.limitAmps(T0.plusSeconds(1), null, null, 3, V);
        int highest = levels.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(limit).hasValue(highest + 6);
    }
}

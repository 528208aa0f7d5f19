package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.fusebox.driver.ocpp.api.LimitProfile;
import org.fusebox.driver.ocpp.api.ProfilePurpose;
import org.fusebox.driver.ocpp.api.RateUnit;

/** Turns current limits into OCPP 1.6 charging profiles. */
final class ProfileBuilder {

    /** Profile ids are fixed per purpose and connector, so each new limit replaces the last one on the charger. */
    static final int TX_DEFAULT_PROFILE_ID_BASE = 100;
    static final int TX_PROFILE_ID_BASE = 200;

    /**
     * Chargers whose clock runs behind would not apply a schedule that starts in their future; starting it a
     * minute early costs nothing for a constant limit.
     */
    private static final long START_EARLY_SECONDS = 60;

    private ProfileBuilder() {
    }

    /** Amps as a profile carries them: rounded down to 0.1 A, so a limit is never exceeded by rounding. */
    static double roundAmps(double amps) {
        return Math.floor(amps * 10 + 1e-9) / 10;
    }

    /**
     * A limit rounded DOWN to a multiple of {@code step}: never above what was asked (the fuse depends on it),
     * and steady while the asked limit wanders within one step.
     */
    static double quantise(double amps, double step) {
        double q = Math.floor(amps / step + 1e-9) * step;
        return roundAmps(Math.max(0, q));
    }

    /**
     * The profile holding {@code amps} per phase on a connector of {@code cp}.
     *
     * @param transactionId the running transaction for a TxProfile, or {@code null} for a TxDefaultProfile
     */
    static LimitProfile forCurrent(ChargePointSettings cp, int connectorId, double amps, Integer transactionId,
            int stackLevel, double nominalVoltage) {
        double a = roundAmps(amps);
        int phases = cp.phases().size();
        double limit = cp.unit() == RateUnit.A ? a : Math.floor(a * nominalVoltage * phases);
        boolean tx = transactionId != null;
        return new LimitProfile((tx ? TX_PROFILE_ID_BASE : TX_DEFAULT_PROFILE_ID_BASE) + connectorId, stackLevel,
                tx ? ProfilePurpose.TxProfile : ProfilePurpose.TxDefaultProfile, transactionId, cp.unit(), limit, phases);
    }

    /** The SetChargingProfile request payload. */
    static ObjectNode setChargingProfile(int connectorId, LimitProfile p, Instant now) {
        return setChargingProfile(connectorId, p, now, 0);
    }

    /**
     * The SetChargingProfile request payload; with {@code validitySeconds} above 0 the profile ends that long
     * from now (chargingSchedule.duration, and validTo for chargers that look only at that), so that a charger
     * whose gateway is gone falls back to its own limits instead of holding the last one for ever.
     */
    static ObjectNode setChargingProfile(int connectorId, LimitProfile p, Instant now, int validitySeconds) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode period = f.objectNode().put("startPeriod", 0).put("limit", p.limit());
        if (p.numberPhases() != null) {
            period.put("numberPhases", p.numberPhases());
        }
        ObjectNode schedule = f.objectNode();
        if (validitySeconds > 0) {
            schedule.put("duration", validitySeconds + START_EARLY_SECONDS);
        }
        schedule.put("startSchedule", now.minusSeconds(START_EARLY_SECONDS).truncatedTo(ChronoUnit.SECONDS).toString());
        schedule.put("chargingRateUnit", p.unit().name());
        schedule.putArray("chargingSchedulePeriod").add(period);
        ObjectNode profile = f.objectNode();
        profile.put("chargingProfileId", p.profileId());
        if (p.transactionId() != null) {
            profile.put("transactionId", p.transactionId());
        }
        profile.put("stackLevel", p.stackLevel());
        profile.put("chargingProfilePurpose", p.purpose().name());
        profile.put("chargingProfileKind", "Absolute");
        if (validitySeconds > 0) {
            profile.put("validTo", now.plusSeconds(validitySeconds).truncatedTo(ChronoUnit.SECONDS).toString());
        }
        profile.set("chargingSchedule", schedule);
        ObjectNode request = f.objectNode();
        request.put("connectorId", connectorId);
        request.set("csChargingProfiles", profile);
        return request;
    }

    /** The limit in amps per phase that a profile of {@code cp} with {@code limit} in its unit stands for. */
    static double toAmps(ChargePointSettings cp, double limit, double nominalVoltage) {
        return cp.unit() == RateUnit.A ? limit : limit / (nominalVoltage * cp.phases().size());
    }
}

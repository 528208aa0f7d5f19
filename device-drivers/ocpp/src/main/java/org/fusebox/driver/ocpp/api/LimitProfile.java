package org.fusebox.driver.ocpp.api;

import java.util.Objects;

/**
 * A charging profile holding one absolute limit from now on, the kind a load manager sends.
 *
 * @param profileId     chargingProfileId; a profile with the same id replaces the old one on the charger
 * @param stackLevel    0 or more; higher wins within a purpose
 * @param purpose       the purpose
 * @param transactionId required for {@link ProfilePurpose#TxProfile}, {@code null} otherwise
 * @param unit          A or W
 * @param limit         the limit in {@code unit}, 0 or more (A per phase, W in total)
 * @param numberPhases  phases the EV may use, 1 to 3, or {@code null} for the charger's default (3)
 */
public record LimitProfile(int profileId, int stackLevel, ProfilePurpose purpose, Integer transactionId, RateUnit unit,
        double limit, Integer numberPhases) {

    public LimitProfile {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(unit, "unit");
        if (stackLevel < 0) {
            throw new IllegalArgumentException("stackLevel must be 0 or more, got " + stackLevel);
        }
        if (!Double.isFinite(limit) || limit < 0) {
            throw new IllegalArgumentException("limit must be a finite number, 0 or more, got " + limit);
        }
        if (purpose == ProfilePurpose.TxProfile && transactionId == null) {
            throw new IllegalArgumentException("a TxProfile needs a transactionId");
        }
        if (purpose != ProfilePurpose.TxProfile && transactionId != null) {
            throw new IllegalArgumentException("only a TxProfile carries a transactionId");
        }
        if (numberPhases != null && (numberPhases < 1 || numberPhases > 3)) {
            throw new IllegalArgumentException("numberPhases must be 1 to 3, got " + numberPhases);
        }
    }
}

package org.fusebox.optimiser.audit;

import java.time.Instant;
import java.util.Locale;
import org.fusebox.api.control.ConnectorRef;

/**
 * What the audit concluded about one session: the three energies, and the variance of the dispensed energy
 * against the reference that differs most.
 *
 * @param at              when it was concluded
 * @param connector       the charger and connector
 * @param sessionId       the session
 * @param dispensedKwh    what the charger says it dispensed while watched
 * @param receivedKwh     what the EV's battery gained (SoC change x capacity), {@code NaN} when unknown
 * @param siteKwh         what the grid meter saw go to this connector, {@code NaN} when it cannot tell
 * @param variancePercent dispensed against the reference, positive when the charger claims more
 * @param basis           {@code ev} or {@code site}: the reference the variance is against
 * @param finalFinding    whether the session has ended (false: it crossed the threshold mid-session)
 */
record Finding(Instant at, ConnectorRef connector, String sessionId, double dispensedKwh, double receivedKwh, double siteKwh,
        double variancePercent, String basis, boolean finalFinding) {

    String describe() {
        return String.format(Locale.ROOT, "%s %s session %s%s: dispensed %.2f kWh, EV received %s, site %s: %+.1f %% against the %s",
                at, connector, sessionId, finalFinding ? "" : " (still charging)", dispensedKwh, kwh(receivedKwh), kwh(siteKwh),
                variancePercent, basis.equals("ev") ? "EV" : "site meter");
    }

    private static String kwh(double v) {
        return Double.isNaN(v) ? "unknown" : String.format(Locale.ROOT, "%.2f kWh", v);
    }
}

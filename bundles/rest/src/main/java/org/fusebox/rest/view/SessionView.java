package org.fusebox.rest.view;

import java.time.Instant;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;

/**
 * An EV plugged into a connector. Fields the charger does not know are null.
 *
 * @param sessionId       unique per session (OCPP transaction id)
 * @param idTag           the token it was authorised with
 * @param startedAt       when the EV was plugged in
 * @param delivered       energy delivered so far
 * @param energyRequested energy the driver asked for
 * @param remaining       energy still wanted (requested less delivered, never negative)
 * @param departure       when the driver leaves
 * @param soc             the EV's state of charge
 * @param batteryCapacity the EV's battery capacity
 */
public record SessionView(String sessionId, String idTag, Instant startedAt, Energy delivered, Energy energyRequested,
        Energy remaining, Instant departure, Percent soc, Energy batteryCapacity) {

    /** Null when no EV is plugged in. */
    public static SessionView of(EvSession s) {
        if (s == null) {
            return null;
        }
        return new SessionView(s.sessionId(), s.idTag(), s.startedAt(), s.delivered(), s.energyRequested(),
                s.remaining(), s.departure(), s.soc(), s.batteryCapacity());
    }
}

package org.fusebox.api.device;

import java.time.Instant;
import java.util.Objects;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;

/**
 * An EV plugged into a connector. Fields the charger or driver does not know are {@code null}.
 *
 * @param sessionId       unique per session (transaction id for OCPP)
 * @param idTag           the driver's token, when authorised with one
 * @param startedAt       when the EV was plugged in
 * @param delivered       energy delivered in this session
 * @param energyRequested energy the driver asked for, or {@code null}
 * @param departure       when the driver leaves, or {@code null}
 * @param soc             the EV's state of charge when it reports it, or {@code null}
 * @param batteryCapacity the EV's battery capacity when known, or {@code null}
 */
public record EvSession(String sessionId, String idTag, Instant startedAt, Energy delivered, Energy energyRequested,
        Instant departure, Percent soc, Energy batteryCapacity) {

    public EvSession {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(delivered, "delivered");
    }

    /** Energy still wanted, when the request is known. */
    public Energy remaining() {
        return energyRequested == null ? null : energyRequested.minus(delivered).max(Energy.ZERO);
    }
}

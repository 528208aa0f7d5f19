package org.fusebox.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;

/**
 * The drivers' charging requests the core holds, one per connector, each tied to the session it was made
 * in. Requests arrive on HTTP threads while the control thread overlays them onto snapshots, so the book
 * is a concurrent map whose entries are replaced whole, never changed in place.
 */
final class ChargingRequestBook {

    /**
     * A request and what the connector showed when it was made.
     *
     * @param sessionId  the session it belongs to
     * @param delivered  what that session had delivered then: the requested energy counts from there
     * @param readAt     the timestamp of the reading it was checked against; only later readings can end it
     */
    private record Held(ChargingRequest request, String sessionId, Energy delivered, Instant readAt) {

        Energy energyRequested() {
            return delivered.plus(request.energy());
        }
    }

    private static final Comparator<ConnectorRef> BY_CONNECTOR = Comparator.comparing(ConnectorRef::chargerId)
            .thenComparingInt(ConnectorRef::connectorId);

    private final Map<ConnectorRef, Held> held = new ConcurrentHashMap<>();

    /**
     * Checks the request against the charger as it is now (its latest reading; no I/O) and holds it,
     * replacing any earlier request for the connector.
     *
     * @param charger the charger the request names, empty when there is none
     * @param now     the site clock's now
     * @throws IllegalArgumentException when the connector is unknown, has no EV or the departure is past
     * @throws IllegalStateException    when the charger cannot be read
     */
    void submit(ChargingRequest request, Optional<EvCharger> charger, Instant now) {
        ConnectorRef ref = request.connector();
        if (!request.departure().isAfter(now)) {
            throw new IllegalArgumentException("departure " + request.departure() + " is not in the future (site time is "
                    + now + ")");
        }
        EvCharger ch = charger.orElseThrow(() -> new IllegalArgumentException("no charger " + ref.chargerId()));
        List<ConnectorInfo> declared;
        Optional<ChargerReading> reading;
        try {
            declared = ch.connectors();
            reading = ch.reading();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("charger " + ref.chargerId() + " cannot be read: " + e, e);
        }
        Optional<ConnectorReading> connector = reading.flatMap(r -> r.connector(ref.connectorId()));
        boolean known = declared.stream().anyMatch(c -> c.connectorId() == ref.connectorId()) || connector.isPresent();
        if (!known) {
            throw new IllegalArgumentException("charger " + ref.chargerId() + " has no connector " + ref.connectorId());
        }
        EvSession session = connector.map(ConnectorReading::session).orElse(null);
        if (session == null) {
            throw new IllegalArgumentException("no EV is plugged in at " + ref
                    + (reading.isEmpty() ? " (the charger has not reported yet)" : ""));
        }
        held.put(ref, new Held(request, session.sessionId(), session.delivered(), reading.get().timestamp()));
    }

    Optional<ChargingRequest> get(ConnectorRef connector) {
        return Optional.ofNullable(held.get(connector)).map(Held::request);
    }

    List<ChargingRequest> all() {
        List<ChargingRequest> list = new ArrayList<>();
        held.values().forEach(h -> list.add(h.request()));
        list.sort(Comparator.comparing(ChargingRequest::connector, BY_CONNECTOR));
        return list;
    }

    boolean withdraw(ConnectorRef connector) {
        return held.remove(connector) != null;
    }

    /**
     * The snapshot with each held request written into its session, dropping requests whose session has
     * ended. A session has ended when a reading newer than the one the request was checked against shows
     * no session or another one on the connector. A charger that is missing or has no fresh reading says
     * nothing about the session, so its requests are kept (a driver being upgraded must not lose them).
     */
    SiteSnapshot overlay(SiteSnapshot snapshot) {
        if (held.isEmpty()) {
            return snapshot;
        }
        List<ChargerState> chargers = new ArrayList<>(snapshot.chargers().size());
        boolean changed = false;
        for (ChargerState charger : snapshot.chargers()) {
            ChargerState overlaid = overlay(charger);
            changed |= overlaid != charger;
            chargers.add(overlaid);
        }
        if (!changed) {
            return snapshot;
        }
        return snapshot.withChargers(chargers);
    }

    private ChargerState overlay(ChargerState charger) {
        ChargerReading reading = charger.reading();
        if (reading == null) {
            return charger;
        }
        List<ConnectorReading> connectors = new ArrayList<>(reading.connectors().size());
        boolean changed = false;
        for (ConnectorReading c : reading.connectors()) {
            ConnectorRef ref = new ConnectorRef(charger.id(), c.connectorId());
            Held h = held.get(ref);
            EvSession session = c.session();
            if (h == null || reading.timestamp().isBefore(h.readAt())) {
                // nothing held, or a reading older than the one the request was checked against
                connectors.add(c);
            } else if (session == null || !session.sessionId().equals(h.sessionId())) {
                // Removes only this entry: a request submitted meanwhile for the new session stays.
                held.remove(ref, h);
                connectors.add(c);
            } else {
                EvSession requested = new EvSession(session.sessionId(), session.idTag(), session.startedAt(),
                        session.delivered(), h.energyRequested(), h.request().departure(), session.soc(),
                        session.batteryCapacity());
                connectors.add(new ConnectorReading(c.connectorId(), c.state(), c.power(), c.currents(), c.currentLimit(),
                        c.meterTotal(), requested));
                changed = true;
            }
        }
        if (!changed) {
            return charger;
        }
        return new ChargerState(charger.id(), charger.name(), charger.status(), charger.connectors(),
                new ChargerReading(reading.timestamp(), connectors));
    }
}

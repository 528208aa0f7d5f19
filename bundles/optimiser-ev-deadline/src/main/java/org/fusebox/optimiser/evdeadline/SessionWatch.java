package org.fusebox.optimiser.evdeadline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteSnapshot;

/**
 * Follows the sessions in the snapshots and says which ended: a session ends when its charger is online
 * and its connector no longer shows it. A charger that is offline or missing keeps its sessions open
 * (it may be back with the same session), so a driver upgrade does not end every session on the site.
 */
final class SessionWatch {

    /** A session that ended: plugged in, last seen, energy delivered when last seen, the most it could draw. */
    record Ended(String sessionId, Instant pluggedIn, Instant left, double energyKwh, double maxKw) {
    }

    private record Open(String charger, int connector, Instant pluggedIn, Instant lastSeen, double energyKwh, double maxKw) {
    }

    private final Map<String, Open> open = new HashMap<>();

    /** The sessions that ended since the last snapshot seen. */
    synchronized List<Ended> update(SiteSnapshot site) {
        Instant now = site.timestamp();
        double volts = site.limits().nominalVoltage().volts();
        Set<String> seen = new HashSet<>();
        Set<String> onlineChargers = new HashSet<>();
        for (ChargerState charger : site.chargers()) {
            if (!charger.status().isOnline()) {
                continue;
            }
            onlineChargers.add(charger.id());
            for (ConnectorInfo info : charger.connectors()) {
                EvSession s = charger.connectorReading(info.connectorId()).map(ConnectorReading::session).orElse(null);
                if (s == null) {
                    continue;
                }
                String key = charger.id() + "/" + info.connectorId() + "/" + s.sessionId();
                seen.add(key);
                double maxKw = info.maxCurrent().amps() * volts * info.phases().size() / 1000;
                open.put(key, new Open(charger.id(), info.connectorId(), s.startedAt(), now, s.delivered().kilowattHours(), maxKw));
            }
        }
        List<Ended> ended = new ArrayList<>();
        open.entrySet().removeIf(e -> {
            Open o = e.getValue();
            if (seen.contains(e.getKey()) || !onlineChargers.contains(o.charger())) {
                return false;
            }
            ended.add(new Ended(e.getKey(), o.pluggedIn(), o.lastSeen(), o.energyKwh(), o.maxKw()));
            return true;
        });
        return ended;
    }
}

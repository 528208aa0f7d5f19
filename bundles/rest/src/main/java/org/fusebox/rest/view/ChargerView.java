package org.fusebox.rest.view;

import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.PauseReasons;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.site.ChargerState;

/**
 * An EV charger with its connectors.
 *
 * @param id         device id
 * @param name       display name
 * @param status     device status
 * @param readAt     when the connector readings were taken, or null when there is no fresh reading
 * @param connectors declared connectors in their order, then any the charger reports on without declaring
 */
public record ChargerView(String id, String name, DeviceStatusView status, Instant readAt,
        List<ConnectorView> connectors) {

    public static ChargerView of(ChargerState charger) {
        return of(charger, (connectorId, reading) -> null, ref -> null);
    }

    /** The active recorded session of a connector, null when there is none. */
    @FunctionalInterface
    public interface MeteredSessions {
        MeteredSessions NONE = ref -> null;

        ChargingSession active(ConnectorRef connector);
    }

    /** Says, for a connector and its reading, why a plugged-in EV is paused (null when it is not). */
    @FunctionalInterface
    interface PauseExplainer {
        String why(int connectorId, ConnectorReading reading);
    }

    /** With each paused EV's reason, from the cycle the charger is part of. */
    static ChargerView of(ChargerState charger, CycleReport report, MeteredSessions metered) {
        return of(charger, (connectorId, reading) -> PauseReasons.of(report,
                new ConnectorRef(charger.id(), connectorId), reading).orElse(null), metered);
    }

    private static ChargerView of(ChargerState charger, PauseExplainer why, MeteredSessions metered) {
        Map<Integer, ConnectorReading> readings = new LinkedHashMap<>();
        if (charger.reading() != null) {
            charger.reading().connectors().forEach(r -> readings.put(r.connectorId(), r));
        }
        List<ConnectorView> connectors = new ArrayList<>();
        for (ConnectorInfo info : charger.connectors()) {
            ConnectorReading r = readings.remove(info.connectorId());
            connectors.add(ConnectorView.of(info, r, why.why(info.connectorId(), r),
                    SessionRecordView.SoFarView.of(metered.active(new ConnectorRef(charger.id(), info.connectorId())))));
        }
        // A reading for a connector the charger did not declare is odd, but hiding it would hide a draw.
        readings.values().forEach(r -> connectors.add(ConnectorView.undeclared(r, why.why(r.connectorId(), r),
                r.connectorId() < 1 ? null
                        : SessionRecordView.SoFarView.of(metered.active(new ConnectorRef(charger.id(), r.connectorId()))))));
        Instant readAt = charger.reading() == null ? null : charger.reading().timestamp();
        return new ChargerView(charger.id(), charger.name(), DeviceStatusView.of(charger.status()), readAt,
                List.copyOf(connectors));
    }
}

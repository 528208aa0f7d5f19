package org.fusebox.rest.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
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
        Map<Integer, ConnectorReading> readings = new LinkedHashMap<>();
        if (charger.reading() != null) {
            charger.reading().connectors().forEach(r -> readings.put(r.connectorId(), r));
        }
        List<ConnectorView> connectors = new ArrayList<>();
        for (ConnectorInfo info : charger.connectors()) {
            connectors.add(ConnectorView.of(info, readings.remove(info.connectorId())));
        }
        // A reading for a connector the charger did not declare is odd, but hiding it would hide a draw.
        readings.values().forEach(r -> connectors.add(ConnectorView.undeclared(r)));
        Instant readAt = charger.reading() == null ? null : charger.reading().timestamp();
        return new ChargerView(charger.id(), charger.name(), DeviceStatusView.of(charger.status()), readAt,
                List.copyOf(connectors));
    }
}

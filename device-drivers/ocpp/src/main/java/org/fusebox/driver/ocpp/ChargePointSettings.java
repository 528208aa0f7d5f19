package org.fusebox.driver.ocpp;

import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.driver.ocpp.api.RateUnit;

/**
 * How one charge point is wired and controlled.
 *
 * @param connectors      number of connectors, 1-based ids
 * @param maxCurrent      rating per phase (A)
 * @param minCurrent      lowest charging current (A)
 * @param failsafeCurrent what it draws without a controller (A)
 * @param phases          the phases each connector uses
 * @param unit            the charging rate unit of the profiles sent to it
 */
public record ChargePointSettings(int connectors, double maxCurrent, double minCurrent, double failsafeCurrent,
        List<Phase> phases, RateUnit unit) {

    public ChargePointSettings {
        phases = List.copyOf(phases);
    }

    public List<ConnectorInfo> connectorInfos() {
        List<ConnectorInfo> list = new ArrayList<>();
        for (int i = 1; i <= connectors; i++) {
            list.add(new ConnectorInfo(i, phases, Current.ofAmps(minCurrent), Current.ofAmps(maxCurrent),
                    Current.ofAmps(failsafeCurrent)));
        }
        return list;
    }
}

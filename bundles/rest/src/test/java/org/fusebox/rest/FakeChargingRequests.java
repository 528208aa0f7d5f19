package org.fusebox.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ChargingRequests;
import org.fusebox.api.control.ConnectorRef;

/** The core's side of charging requests, in memory; a test sets what it refuses. */
final class FakeChargingRequests implements ChargingRequests {

    final Map<String, ChargingRequest> held = new TreeMap<>();
    final List<ChargingRequest> submitted = new ArrayList<>();
    /** Thrown by submit when set, as the core does for an unknown connector or a connector without an EV. */
    RuntimeException refusal;

    @Override
    public void submit(ChargingRequest request) {
        submitted.add(request);
        if (refusal != null) {
            throw refusal;
        }
        held.put(request.connector().toString(), request);
    }

    @Override
    public Optional<ChargingRequest> get(ConnectorRef connector) {
        return Optional.ofNullable(held.get(connector.toString()));
    }

    @Override
    public List<ChargingRequest> all() {
        return List.copyOf(held.values());
    }

    @Override
    public boolean withdraw(ConnectorRef connector) {
        return held.remove(connector.toString()) != null;
    }
}

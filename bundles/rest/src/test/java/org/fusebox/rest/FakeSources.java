package org.fusebox.rest;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ChargingRequests;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.rest.view.BundlesView;
import org.fusebox.rest.view.ComponentHealthView;
import org.fusebox.rest.view.SampleCycle;

/** Sources a test sets up field by field. */
final class FakeSources implements ApiSources {

    ControlLoop loop;
    ChargingRequests requests;
    Instant now = SampleCycle.NOW;
    final List<ComponentHealthView> health = new ArrayList<>();
    BundlesView bundles = new BundlesView(List.of());
    RuntimeException failure;
    SessionHistory history;
    ZoneId zone = ZoneOffset.UTC;

    static ControlLoop loop(ControlMode mode, CycleReport last) {
        ControlState state = new ControlState(mode, List.of(), SampleCycle.T0);
        return new ControlLoop() {
            @Override
            public void requestCycle(String reason) {
            }

            @Override
            public ControlState state() {
                return state;
            }

            @Override
            public Optional<CycleReport> lastCycle() {
                return Optional.ofNullable(last);
            }
        };
    }

    @Override
    public Optional<ControlLoop> controlLoop() {
        return Optional.ofNullable(loop);
    }

    @Override
    public Optional<ChargingRequests> chargingRequests() {
        return Optional.ofNullable(requests);
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public List<ComponentHealthView> health() {
        if (failure != null) {
            throw failure;
        }
        return health;
    }

    @Override
    public Optional<SessionHistory> sessions() {
        return Optional.ofNullable(history);
    }

    @Override
    public ZoneId reportZone() {
        return zone;
    }

    @Override
    public BundlesView bundles() {
        return bundles;
    }
}

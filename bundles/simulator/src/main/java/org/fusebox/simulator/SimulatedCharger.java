package org.fusebox.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.simulator.model.ChargePoint;
import org.fusebox.simulator.model.ChargingSession;
import org.fusebox.simulator.model.SiteModel;

/**
 * A simulated single-connector AC charger. A limit above the rating is accepted and applied at the rating;
 * a limit under the minimum pauses the connector (OCPP semantics).
 */
final class SimulatedCharger extends SimulatedDevice implements EvCharger {

    static final String ID_PREFIX = "sim-charger-";
    static final int CONNECTOR_ID = 1;

    private final int number;
    private final List<ConnectorInfo> connectors;
    private volatile ChargerReading reading;

    SimulatedCharger(CommandQueue commands, Instant since, ChargePoint point) {
        super(ID_PREFIX + point.number(), "Simulated charger " + point.number(), commands, since);
        this.number = point.number();
        this.connectors = List.of(new ConnectorInfo(CONNECTOR_ID, point.phases(), Current.ofAmps(point.minAmps()),
                Current.ofAmps(point.maxAmps()), Current.ofAmps(point.failsafeAmps())));
    }

    int number() {
        return number;
    }

    @Override
    public List<ConnectorInfo> connectors() {
        return connectors;
    }

    @Override
    public Optional<ChargerReading> reading() {
        return Optional.ofNullable(reading);
    }

    @Override
    public CompletionStage<WriteResult> setCurrentLimit(int connectorId, Current limit) {
        if (connectorId != CONNECTOR_ID) {
            return CompletableFuture.completedFuture(
                    WriteResult.rejected("unknown connector " + connectorId + "; " + id() + " has connector 1 only"));
        }
        if (limit == null) {
            return CompletableFuture.completedFuture(WriteResult.rejected("a current limit is required"));
        }
        if (limit.amps() < 0) {
            return CompletableFuture.completedFuture(WriteResult.rejected("current limit must not be negative, got " + limit));
        }
        double amps = limit.amps();
        return submit(id() + ":" + connectorId, model -> model.chargePoint(number).ifPresent(p -> p.setCurrentLimit(amps)));
    }

    @Override
    void publish(SiteModel model) {
        model.chargePoint(number).ifPresent(p -> reading = new ChargerReading(model.now(), List.of(connectorReading(p))));
    }

    private static ConnectorReading connectorReading(ChargePoint p) {
        PhaseCurrents currents = PhaseCurrents.ofAmps(p.amps(Phase.L1), p.amps(Phase.L2), p.amps(Phase.L3));
        EvSession session = p.session().map(SimulatedCharger::session).orElse(null);
        return new ConnectorReading(CONNECTOR_ID, p.state(), Power.ofWatts(p.watts()), currents,
                Current.ofAmps(p.limitAmps()), Energy.ofWattHours(p.meterWattHours()), session);
    }

    private static EvSession session(ChargingSession s) {
        return new EvSession(s.sessionId(), s.idTag(), s.startedAt(), Energy.ofWattHours(s.deliveredWattHours()),
                Energy.ofWattHours(s.vehicle().energyRequestedWattHours()), s.departure(), Percent.clamped(s.socPercent()),
                Energy.ofWattHours(s.vehicle().capacityWattHours()));
    }
}

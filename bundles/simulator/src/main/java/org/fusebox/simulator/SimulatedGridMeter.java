package org.fusebox.simulator;

import java.time.Instant;
import java.util.Optional;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.simulator.model.GridConnection;
import org.fusebox.simulator.model.SiteModel;

/** The meter at the simulated grid connection. */
final class SimulatedGridMeter extends SimulatedDevice implements GridMeter {

    static final String ID = "sim-grid";

    private volatile MeterReading reading;

    SimulatedGridMeter(CommandQueue commands, Instant since) {
        super(ID, "Simulated grid meter", commands, since);
    }

    @Override
    public Optional<MeterReading> reading() {
        return Optional.ofNullable(reading);
    }

    @Override
    void publish(SiteModel model) {
        GridConnection g = model.grid();
        reading = new MeterReading(model.now(), Power.ofWatts(g.watts()),
                PhaseCurrents.ofAmps(g.amps(Phase.L1), g.amps(Phase.L2), g.amps(Phase.L3)),
                Voltage.ofVolts(g.volts()), Energy.ofWattHours(g.importedWattHours()),
                Energy.ofWattHours(g.exportedWattHours()), g.hz());
    }
}

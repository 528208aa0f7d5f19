package org.fusebox.simulator;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Power;
import org.fusebox.simulator.model.SiteModel;
import org.fusebox.simulator.model.SolarPlant;

/** The simulated PV inverter; it accepts an output cap. */
final class SimulatedPvInverter extends SimulatedDevice implements PvInverter {

    static final String ID = "sim-pv";

    private final Power ratedPower;
    private volatile PvReading reading;

    SimulatedPvInverter(CommandQueue commands, Instant since, double ratedWatts) {
        super(ID, "Simulated PV inverter", commands, since);
        this.ratedPower = Power.ofWatts(ratedWatts);
    }

    @Override
    public Power ratedPower() {
        return ratedPower;
    }

    @Override
    public Optional<PvReading> reading() {
        return Optional.ofNullable(reading);
    }

    @Override
    public boolean supportsCurtailment() {
        return true;
    }

    @Override
    public CompletionStage<WriteResult> limitOutput(Power maxOutput) {
        if (maxOutput == null) {
            return CompletableFuture.completedFuture(WriteResult.rejected("an output cap is required"));
        }
        if (maxOutput.isNegative()) {
            return CompletableFuture.completedFuture(WriteResult.rejected("output cap must not be negative, got " + maxOutput));
        }
        double watts = maxOutput.watts();
        return submit(ID, model -> model.pv().ifPresent(pv -> pv.limitOutput(watts)));
    }

    @Override
    void publish(SiteModel model) {
        model.pv().ifPresent((SolarPlant pv) -> reading = new PvReading(model.now(), Power.ofWatts(pv.watts()),
                Power.ofWatts(pv.outputCapWatts()), Energy.ofWattHours(pv.producedWattHours())));
    }
}

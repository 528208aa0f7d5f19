package org.fusebox.simulator;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.simulator.model.SiteModel;
import org.fusebox.simulator.model.StorageBattery;

/**
 * The simulated battery. A setpoint beyond the ratings is accepted and held at the rating, as an inverter
 * does. The reading's setpoint is the one it holds now: zero once its watchdog has fallen back.
 */
final class SimulatedBattery extends SimulatedDevice implements Battery {

    static final String ID = "sim-battery";

    private final BatteryRatings ratings;
    private volatile BatteryReading reading;

    SimulatedBattery(CommandQueue commands, Instant since, StorageBattery battery) {
        super(ID, "Simulated battery", commands, since);
        this.ratings = new BatteryRatings(Energy.ofWattHours(battery.capacityWattHours()),
                Power.ofWatts(battery.maxChargeWatts()), Power.ofWatts(battery.maxDischargeWatts()),
                Percent.of(100 * battery.roundTripEfficiency()), 3);
    }

    @Override
    public BatteryRatings ratings() {
        return ratings;
    }

    @Override
    public Optional<BatteryReading> reading() {
        return Optional.ofNullable(reading);
    }

    @Override
    public CompletionStage<WriteResult> setPower(Power power) {
        if (power == null) {
            return CompletableFuture.completedFuture(WriteResult.rejected("a power is required"));
        }
        double watts = power.watts();
        return submit(ID, model -> model.battery().ifPresent(b -> b.setPower(watts)));
    }

    @Override
    void publish(SiteModel model) {
        model.battery().ifPresent(b -> reading = new BatteryReading(model.now(), Power.ofWatts(b.watts()),
                Percent.clamped(b.socPercent()), Power.ofWatts(b.setpointWatts())));
    }
}

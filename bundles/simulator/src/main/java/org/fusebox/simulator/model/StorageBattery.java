package org.fusebox.simulator.model;

import java.util.function.LongSupplier;

/**
 * A stationary battery and its three-phase inverter. It follows its power setpoint within its ratings;
 * losses are split evenly between charging and discharging (the square root of the round-trip efficiency
 * each way); the BMS stops charging at 100 % and discharging at 0 %. Without a fresh setpoint for the
 * watchdog timeout it idles, like an inverter that lost its energy manager.
 */
public final class StorageBattery {

    private final double capacityWattHours;
    private final double maxChargeWatts;
    private final double maxDischargeWatts;
    private final double roundTripEfficiency;
    private final double oneWayEfficiency;
    private final Watchdog watchdog;
    private final LongSupplier realNanos;
    private double storedWattHours;
    private double commandedWatts;
    private double setpointWatts;
    private double watts;
    private double chargedWattHours;
    private double dischargedWattHours;

    StorageBattery(SiteConfig c, LongSupplier realNanos) {
        this.capacityWattHours = c.batteryCapacityWattHours();
        this.maxChargeWatts = c.batteryMaxChargeWatts();
        this.maxDischargeWatts = c.batteryMaxDischargeWatts();
        this.roundTripEfficiency = c.batteryRoundTripEfficiency();
        this.oneWayEfficiency = Math.sqrt(roundTripEfficiency);
        this.storedWattHours = capacityWattHours * c.batteryInitialSocPercent() / 100.0;
        this.watchdog = new Watchdog(c.failsafeTimeout().toNanos());
        this.realNanos = realNanos;
    }

    /** Commands an AC power, charging positive; feeds the watchdog. Applied from the next step. */
    public void setPower(double watts) {
        if (!Double.isFinite(watts)) {
            throw new IllegalArgumentException("battery power must be finite, got " + watts);
        }
        commandedWatts = watts;
        watchdog.feed(realNanos.getAsLong());
    }

    void advance(double seconds, long realNow) {
        setpointWatts = watchdog.expired(realNow) ? 0 : commandedWatts;
        double p = Math.max(-maxDischargeWatts, Math.min(maxChargeWatts, setpointWatts));
        double hours = seconds / 3600.0;
        if (hours <= 0) {
            watts = 0;
            return;
        }
        if (p > 0) {
            // the BMS lets in only what still fits; exactly full means no current at all
            double room = Math.max(0, capacityWattHours - storedWattHours);
            p = Math.min(p, room / (oneWayEfficiency * hours));
            storedWattHours = Math.min(capacityWattHours, storedWattHours + p * hours * oneWayEfficiency);
            chargedWattHours += p * hours;
        } else if (p < 0) {
            double deliverable = Math.max(0, storedWattHours) * oneWayEfficiency / hours;
            p = Math.max(p, -deliverable);
            storedWattHours = Math.max(0, storedWattHours + p * hours / oneWayEfficiency);
            dischargedWattHours += -p * hours;
        }
        watts = p;
    }

    public double capacityWattHours() {
        return capacityWattHours;
    }

    public double maxChargeWatts() {
        return maxChargeWatts;
    }

    public double maxDischargeWatts() {
        return maxDischargeWatts;
    }

    public double roundTripEfficiency() {
        return roundTripEfficiency;
    }

    public double storedWattHours() {
        return storedWattHours;
    }

    public double socPercent() {
        return Math.max(0, Math.min(100, 100.0 * storedWattHours / capacityWattHours));
    }

    /** AC power in the last step, charging positive. */
    public double watts() {
        return watts;
    }

    /** The setpoint held in the last step: the commanded one, or zero after the watchdog fell back. */
    public double setpointWatts() {
        return setpointWatts;
    }

    /** AC energy taken in while charging, since start. */
    public double chargedWattHours() {
        return chargedWattHours;
    }

    /** AC energy given out while discharging, since start. */
    public double dischargedWattHours() {
        return dischargedWattHours;
    }
}

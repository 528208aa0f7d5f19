package org.fusebox.simulator.model;

import java.time.Instant;

/** One EV's stay at a connector, from plug-in to unplug. */
public final class ChargingSession {

    /** Energy differences below this count as done, so rounding never leaves an EV charging forever. */
    private static final double ENERGY_EPSILON_WH = 1e-6;

    private final String sessionId;
    private final String idTag;
    private final ElectricVehicle vehicle;
    private final Instant startedAt;
    private double deliveredWattHours;
    private boolean authorised = true;

    ChargingSession(String sessionId, String idTag, ElectricVehicle vehicle, Instant startedAt) {
        this.sessionId = sessionId;
        this.idTag = idTag;
        this.vehicle = vehicle;
        this.startedAt = startedAt;
    }

    public String sessionId() {
        return sessionId;
    }

    public String idTag() {
        return idTag;
    }

    public ElectricVehicle vehicle() {
        return vehicle;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant departure() {
        return vehicle.departure();
    }

    public double deliveredWattHours() {
        return deliveredWattHours;
    }

    /** The EV's state of charge; energy is counted into the battery without on-board losses. */
    public double socPercent() {
        return Math.min(100, vehicle.arrivalSocPercent() + 100.0 * deliveredWattHours / vehicle.capacityWattHours());
    }

    /** Energy the EV still takes: what the driver asked for, and never beyond a full battery. */
    public double remainingWattHours() {
        double toRequest = vehicle.energyRequestedWattHours() - deliveredWattHours;
        double toFull = vehicle.capacityWattHours() * (100 - socPercent()) / 100.0;
        double remaining = Math.min(toRequest, toFull);
        return remaining > ENERGY_EPSILON_WH ? remaining : 0;
    }

    public boolean needsEnergy() {
        return remainingWattHours() > 0;
    }

    /** Whether the EV may charge; a networked charger authorises it first. */
    public boolean authorised() {
        return authorised;
    }

    void authorised(boolean value) {
        authorised = value;
    }

    void deliver(double wattHours) {
        deliveredWattHours += wattHours;
    }
}

package org.fusebox.simulator.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongSupplier;
import org.fusebox.api.units.Phase;

/**
 * A whole simulated site, advanced in simulated time. Single-threaded: the caller serialises
 * {@link #step(Duration)} and every command.
 *
 * <p>The grid meter sees the sum of everything behind it, per phase: building load, minus PV, plus
 * battery (charging positive), plus each EV on the phases its connector uses.
 */
public final class SiteModel {

    /** Separate random streams per process, so adding a charger does not change the weather. */
    private static final long HOUSE_STREAM = 0x5851F42D4C957F2DL;
    private static final long CLOUD_STREAM = 0x14057B7EF767814FL;
    private static final long EV_STREAM = 0x9E3779B97F4A7C15L;

    private final SiteConfig config;
    private final LongSupplier realNanos;
    private final long maxSubstepNanos;
    private final GridConnection grid;
    private final HouseLoad house;
    private final SolarPlant pv;
    private final StorageBattery battery;
    private final List<ChargePoint> chargePoints;
    private final EvArrivals arrivals;
    private ExternalLoad external = new ExternalLoad();
    private GridFrequency frequency = new GridFrequency();
    private Instant now;

    /**
     * @param realNanos wall-clock source for the device watchdogs ({@code System::nanoTime} in production)
     */
    public SiteModel(SiteConfig config, LongSupplier realNanos) {
        this.config = Objects.requireNonNull(config, "config");
        this.realNanos = Objects.requireNonNull(realNanos, "realNanos");
        this.maxSubstepNanos = config.maxSubstep().toNanos();
        this.now = config.start();
        this.grid = new GridConnection(config.nominalVolts(), config.fuseLimitAmps());
        this.house = new HouseLoad(config.baseLoadWatts(), new Random(config.seed() ^ HOUSE_STREAM));
        this.pv = config.hasPv()
                ? new SolarPlant(config.pvPeakWatts(), config.latitudeDegrees(), new Random(config.seed() ^ CLOUD_STREAM))
                : null;
        this.battery = config.hasBattery() ? new StorageBattery(config, realNanos) : null;
        List<ChargePoint> points = new ArrayList<>();
        for (int i = 1; i <= config.chargers(); i++) {
            points.add(new ChargePoint(i, phasesOfCharger(i, config.chargerPhases()), config, realNanos));
        }
        this.chargePoints = List.copyOf(points);
        this.arrivals = new EvArrivals(new Random(config.seed() ^ EV_STREAM), config.evArrivalMeanInterval(), now);
        arrivals.occupyAtStart(chargePoints, config.initialOccupancy(), now);
        // a first, empty step so every reading is defined before the first real one
        advance(0, realNanos.getAsLong());
    }

    /**
     * Single-phase chargers are spread over L1, L2, L3 in turn, as an installer rotates them to balance
     * the phases; three-phase chargers use all three.
     */
    static List<Phase> phasesOfCharger(int number, int phases) {
        if (phases == 3) {
            return List.of(Phase.L1, Phase.L2, Phase.L3);
        }
        return List.of(Phase.values()[(number - 1) % 3]);
    }

    /** Advances simulated time by {@code dt}, in slices no longer than the configured substep. */
    public void step(Duration dt) {
        if (dt.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, got " + dt);
        }
        long remaining = dt.toNanos();
        long realNow = realNanos.getAsLong();
        while (remaining > 0) {
            long slice = Math.min(remaining, maxSubstepNanos);
            now = now.plusNanos(slice);
            advance(slice / 1e9, realNow);
            remaining -= slice;
        }
    }

    private void advance(double seconds, long realNow) {
        ZonedDateTime local = now.atZone(config.zone());
        arrivals.admit(now, chargePoints);
        house.advance(local, seconds);
        if (pv != null) {
            pv.advance(local, seconds);
        }
        if (battery != null) {
            battery.advance(seconds, realNow);
        }
        double volts = config.nominalVolts();
        double houseAmps = house.watts() / volts;
        double pvAmps = pv == null ? 0 : pv.watts() / (3 * volts);
        double batteryAmps = battery == null ? 0 : battery.watts() / (3 * volts);
        double l1 = houseAmps * HouseLoad.phaseShare(Phase.L1) - pvAmps + batteryAmps;
        double l2 = houseAmps * HouseLoad.phaseShare(Phase.L2) - pvAmps + batteryAmps;
        double l3 = houseAmps * HouseLoad.phaseShare(Phase.L3) - pvAmps + batteryAmps;
        for (ChargePoint p : chargePoints) {
            p.advance(now, seconds, realNow);
            l1 += p.amps(Phase.L1);
            l2 += p.amps(Phase.L2);
            l3 += p.amps(Phase.L3);
        }
        l1 += external.amps(Phase.L1);
        l2 += external.amps(Phase.L2);
        l3 += external.amps(Phase.L3);
        grid.record(l1, l2, l3, seconds, frequency.hz(now));
    }

    /**
     * Puts a load the model does not simulate behind the grid meter (replacing the one before, which draws
     * nothing by default). Call before stepping, from the stepping thread or before it starts.
     */
    public void connectExternalLoad(ExternalLoad load) {
        external = Objects.requireNonNull(load, "load");
    }

    /**
     * Sets the frequency the grid meter measures (replacing the one before, a steady 50.00 Hz by default).
     * Call before stepping, from the stepping thread or before it starts.
     */
    public void connectGridFrequency(GridFrequency frequency) {
        this.frequency = Objects.requireNonNull(frequency, "frequency");
        grid.frequency(frequency.hz(now));
    }

    public SiteConfig config() {
        return config;
    }

    /** Simulated time now. */
    public Instant now() {
        return now;
    }

    public GridConnection grid() {
        return grid;
    }

    public HouseLoad house() {
        return house;
    }

    public Optional<SolarPlant> pv() {
        return Optional.ofNullable(pv);
    }

    public Optional<StorageBattery> battery() {
        return Optional.ofNullable(battery);
    }

    public List<ChargePoint> chargePoints() {
        return chargePoints;
    }

    /** The charge point with this 1-based number. */
    public Optional<ChargePoint> chargePoint(int number) {
        return number >= 1 && number <= chargePoints.size() ? Optional.of(chargePoints.get(number - 1)) : Optional.empty();
    }

    /** When the next EV is due. */
    public Instant nextArrival() {
        return arrivals.nextArrival();
    }

    /** EVs that plugged in since start (including those there at start). */
    public long sessionsStarted() {
        return arrivals.sessionsStarted();
    }

    /** EVs that found every connector busy and drove on. */
    public long evsTurnedAway() {
        return arrivals.turnedAway();
    }
}

package org.fusebox.simulator.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.fusebox.api.device.ConnectorState;

/**
 * EVs arriving at the site as a Poisson process: exponentially distributed gaps with a configured mean.
 * An arriving EV takes a free connector at random; when none is free it drives on and is counted.
 */
final class EvArrivals {

    private static final Duration MIN_STAY = Duration.ofHours(1);
    private static final Duration MAX_STAY = Duration.ofHours(6);

    private final Random random;
    private final double meanSeconds;
    private Instant nextArrival;
    private long sessionsStarted;
    private long turnedAway;

    EvArrivals(Random random, Duration meanInterval, Instant start) {
        this.random = random;
        this.meanSeconds = meanInterval.toNanos() / 1e9;
        this.nextArrival = start.plus(nextGap());
    }

    /** Plugs an EV into a share of the connectors at start, so a demo has something to show at once. */
    void occupyAtStart(List<ChargePoint> points, double share, Instant start) {
        for (ChargePoint p : points) {
            if (random.nextDouble() < share) {
                p.plugIn(newSession(start), start);
            }
        }
    }

    /** Plugs in every EV due by {@code now}. */
    void admit(Instant now, List<ChargePoint> points) {
        while (!nextArrival.isAfter(now)) {
            List<ChargePoint> free = new ArrayList<>(points.size());
            for (ChargePoint p : points) {
                if (p.state() == ConnectorState.AVAILABLE) {
                    free.add(p);
                }
            }
            if (free.isEmpty()) {
                turnedAway++;
            } else {
                free.get(random.nextInt(free.size())).plugIn(newSession(nextArrival), nextArrival);
            }
            nextArrival = nextArrival.plus(nextGap());
        }
    }

    private Duration nextGap() {
        double seconds = -meanSeconds * Math.log(1 - random.nextDouble());
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    private ChargingSession newSession(Instant arrival) {
        double capacity = 1000.0 * (40 + 5 * random.nextInt(9));
        double arrivalSoc = 10 + 50 * random.nextDouble();
        double targetSoc = 80 + 20 * random.nextDouble();
        double maxAmps = random.nextBoolean() ? 16 : 32;
        long staySeconds = MIN_STAY.toSeconds()
                + (long) (random.nextDouble() * (MAX_STAY.toSeconds() - MIN_STAY.toSeconds()));
        ElectricVehicle ev = new ElectricVehicle(capacity, arrivalSoc, capacity * (targetSoc - arrivalSoc) / 100.0,
                maxAmps, arrival.plusSeconds(staySeconds));
        sessionsStarted++;
        String idTag = String.format(Locale.ROOT, "%08X", random.nextInt());
        return new ChargingSession("sim-" + sessionsStarted, idTag, ev, arrival);
    }

    Instant nextArrival() {
        return nextArrival;
    }

    long sessionsStarted() {
        return sessionsStarted;
    }

    long turnedAway() {
        return turnedAway;
    }
}

package org.fusebox.simulator.model;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * A value that wanders smoothly and never leaves its bounds: at fixed intervals of simulated time a new
 * target is drawn, and the value relaxes towards it exponentially. Every value is a blend of values drawn
 * within the bounds, so it stays within them by construction.
 */
final class BoundedNoise {

    private final Random random;
    private final ToDoubleFunction<Random> draw;
    private final double holdSeconds;
    private final double relaxSeconds;
    private double value;
    private double target;
    private double secondsToNextTarget;

    /**
     * @param draw         draws a target; must return values within the intended bounds
     * @param holdSeconds  how long each target holds
     * @param relaxSeconds time constant of the approach to the target
     */
    BoundedNoise(Random random, ToDoubleFunction<Random> draw, double holdSeconds, double relaxSeconds) {
        this.random = random;
        this.draw = draw;
        this.holdSeconds = holdSeconds;
        this.relaxSeconds = relaxSeconds;
        this.value = draw.applyAsDouble(random);
        this.target = draw.applyAsDouble(random);
        this.secondsToNextTarget = holdSeconds;
    }

    /** Uniform between {@code low} and {@code high}. */
    static BoundedNoise uniform(Random random, double low, double high, double holdSeconds, double relaxSeconds) {
        return new BoundedNoise(random, r -> low + (high - low) * r.nextDouble(), holdSeconds, relaxSeconds);
    }

    double value() {
        return value;
    }

    double advance(double seconds) {
        double left = seconds;
        while (left > 0) {
            double slice = Math.min(left, secondsToNextTarget);
            value = target + (value - target) * Math.exp(-slice / relaxSeconds);
            left -= slice;
            secondsToNextTarget -= slice;
            if (secondsToNextTarget <= 0) {
                target = draw.applyAsDouble(random);
                secondsToNextTarget = holdSeconds;
            }
        }
        return value;
    }
}

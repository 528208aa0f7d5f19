package org.fusebox.optimiser.ffr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.ReadingListener;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.junit.jupiter.api.Test;

/** The listener path: meter readings in, {@code requestCycle} out, as a driver's poll thread would call it. */
class FastPathTest {

    private static final Instant T = Instant.parse("2026-12-08T00:00:00Z");

    /** A grid meter that keeps its listeners and tells them of each reading it is handed, like a driver. */
    static final class FakeMeter implements GridMeter {
        final String id;
        final List<ReadingListener> listeners = new CopyOnWriteArrayList<>();
        volatile MeterReading reading;

        FakeMeter(String id) {
            this.id = id;
        }

        void measure(double hz) {
            reading = new MeterReading(T, Power.ofWatts(1000), PhaseCurrents.ofAmps(1, 1, 1), Voltage.NOMINAL_230,
                    Energy.ZERO, Energy.ZERO, hz);
            listeners.forEach(l -> l.readingUpdated(this));
        }

        void measure(double... hz) {
            for (double f : hz) {
                measure(f);
            }
        }

        @Override
        public Optional<MeterReading> reading() {
            return Optional.ofNullable(reading);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public DeviceStatus status() {
            return DeviceStatus.online(T);
        }

        @Override
        public void addReadingListener(ReadingListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeReadingListener(ReadingListener listener) {
            listeners.remove(listener);
        }
    }

    /** Records the cycles asked for. */
    static final class Loop implements ControlLoop {
        final List<String> requests = new CopyOnWriteArrayList<>();

        @Override
        public void requestCycle(String reason) {
            requests.add(reason);
        }

        @Override
        public ControlState state() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<CycleReport> lastCycle() {
            return Optional.empty();
        }
    }

    private final FastFrequencyResponse ffr = new FastFrequencyResponse();
    private final Loop loop = new Loop();
    private final FakeMeter meter = new FakeMeter("grid");

    FastPathTest() {
        ffr.configure(Sites.props());
        ffr.setControlLoop(loop);
        ffr.addGridMeter(meter);
    }

    @Test
    void readingsInsideTheBandAskForNothing() {
        meter.measure(50.0, 49.95, 50.1, 49.81, 50.19, 49.8, 50.2, 50.0);
        assertThat(loop.requests).isEmpty();
    }

    @Test
    void leavingTheBandAsksOnceAndReenteringAsksOnce() {
        meter.measure(50.0, 49.9, 49.70);
        assertThat(loop.requests).containsExactly("frequency 49.70 Hz");

        meter.measure(49.70, 49.71, 49.69, 49.705); // the response moves by less than 5 %
        assertThat(loop.requests).hasSize(1);

        meter.measure(49.85);
        assertThat(loop.requests).containsExactly("frequency 49.70 Hz", "frequency 49.85 Hz");
        meter.measure(49.9, 50.0, 49.82);
        assertThat(loop.requests).hasSize(2);
    }

    @Test
    void aResponseThatMovesByMoreThanAStepAsksAgain() {
        meter.measure(49.70);
        meter.measure(49.69); // 3.3 % of the full response: not yet
        meter.measure(49.68); // 6.7 % since the last cycle asked for
        meter.measure(49.60, 49.50, 49.40); // the last is saturated: no change
        assertThat(loop.requests).containsExactly("frequency 49.70 Hz", "frequency 49.68 Hz", "frequency 49.60 Hz",
                "frequency 49.50 Hz");
    }

    @Test
    void overFrequencyAndAJumpAcrossTheBandAreSeenToo() {
        meter.measure(50.25);
        meter.measure(49.75); // the same small response, the other way
        assertThat(loop.requests).containsExactly("frequency 50.25 Hz", "frequency 49.75 Hz");
    }

    @Test
    void aFrequencyThatIsNoLongerMeasuredWhileRespondingAsksForACycle() {
        meter.measure(49.6);
        meter.measure(Double.NaN);
        meter.measure(Double.NaN);
        assertThat(loop.requests).containsExactly("frequency 49.60 Hz", "frequency no longer measured by grid");
    }

    @Test
    void everyMeterIsWatchedOnItsOwnAndALeavingOneIsLetGo() {
        FakeMeter second = new FakeMeter("grid-2");
        ffr.addGridMeter(second);
        meter.measure(49.7);
        second.measure(49.7);
        assertThat(loop.requests).hasSize(2);

        ffr.removeGridMeter(second);
        assertThat(second.listeners).isEmpty();
        second.measure(50.0);
        assertThat(loop.requests).hasSize(2);

        ffr.deactivate();
        assertThat(meter.listeners).isEmpty();
    }

    @Test
    void theStepAndTheBandFollowTheConfiguration() {
        ffr.configure(Sites.props("deadBandHz", 0.1, "cycleStepPercent", 20));
        meter.measure(49.85); // outside a 0.1 Hz band
        meter.measure(49.80); // 12.5 %: under the 20 % step
        meter.measure(49.75);
        assertThat(loop.requests).containsExactly("frequency 49.85 Hz", "frequency 49.75 Hz");
    }

    @Test
    void withoutAControlLoopReadingsAreOnlyWatched() {
        ffr.unsetControlLoop(loop);
        meter.measure(49.5);
        ffr.setControlLoop(loop);
        meter.measure(49.5);
        assertThat(loop.requests).isEmpty(); // the response did not change; the loop's next cycle picks it up
    }
}

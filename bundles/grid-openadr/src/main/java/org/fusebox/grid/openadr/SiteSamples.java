package org.fusebox.grid.openadr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.SiteSnapshot;

/**
 * What the site measured, sampled from the control loop's last cycle every {@link #PERIOD}: the base of the
 * reports. Only fresh measurements are kept; a value the site did not measure is absent, never guessed (a
 * stale or missing grid meter reading gives no grid values, a battery without a fresh reading gives no
 * state of charge for the site). Samples older than {@link #KEPT} are dropped.
 */
final class SiteSamples {

    static final Duration PERIOD = Duration.ofSeconds(5);
    /** A reading older than this when sampled is not a measurement of that moment. */
    static final Duration FRESH = Duration.ofSeconds(30);
    static final Duration KEPT = Duration.ofHours(26);
    private static final int MAX_SAMPLES = (int) (KEPT.toSeconds() / PERIOD.toSeconds()) + 16;

    /**
     * One sample; a field is null when the site did not measure it.
     *
     * @param at            when it was taken
     * @param gridWatts     grid meter power, import positive
     * @param importedWh    the grid meter's import register
     * @param socPercent    the batteries' state of charge, weighted by capacity
     * @param capacityWh    the batteries' usable capacity
     * @param maxChargeW    the batteries' highest charging power
     * @param maxDischargeW the batteries' highest discharging power
     */
    record Sample(Instant at, Double gridWatts, Double importedWh, Double socPercent, Double capacityWh, Double maxChargeW,
            Double maxDischargeW) {
    }

    private final Clock clock;
    private final Supplier<Optional<CycleReport>> lastCycle;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private volatile String gap = "not sampled yet";

    /** @param lastCycle the control loop's last cycle, empty when there is no loop or no cycle yet */
    SiteSamples(Clock clock, Supplier<Optional<CycleReport>> lastCycle) {
        this.clock = clock;
        this.lastCycle = lastCycle;
    }

    /** Takes one sample of the last cycle; never throws. */
    void sampleOnce() {
        Instant now = clock.instant();
        try {
            Optional<CycleReport> cycle = lastCycle.get();
            if (cycle == null || cycle.isEmpty()) {
                gap = "no control loop cycle to read measurements from (is fusebox-core running?)";
                return;
            }
            SiteSnapshot s = cycle.get().snapshot();
            if (Duration.between(s.timestamp(), now).compareTo(FRESH) > 0) {
                gap = "the control loop's last cycle is from " + s.timestamp() + ", older than " + FRESH.toSeconds() + " s";
                return;
            }
            List<String> missing = new ArrayList<>();
            MeterReading meter = meterReading(s.grid(), now);
            if (meter == null) {
                missing.add(s.grid() == null ? "no grid meter" : "no fresh grid meter reading");
            }
            Double soc = null;
            Double capacity = null;
            Double maxCharge = null;
            Double maxDischarge = null;
            if (!s.batteries().isEmpty()) {
                double cap = 0;
                double stored = 0;
                double charge = 0;
                double discharge = 0;
                boolean allFresh = true;
                for (BatteryState b : s.batteries()) {
                    double c = b.ratings().capacity().wattHours();
                    cap += c;
                    charge += b.ratings().maxChargePower().watts();
                    discharge += b.ratings().maxDischargePower().watts();
                    BatteryReading r = fresh(b.status(), b.reading() == null ? null : b.reading().timestamp(), now) ? b.reading() : null;
                    if (r == null) {
                        allFresh = false;
                    } else {
                        stored += r.soc().fraction() * c;
                    }
                }
                capacity = cap;
                maxCharge = charge;
                maxDischarge = discharge;
                if (allFresh) {
                    soc = 100 * stored / cap;
                } else {
                    missing.add("a battery without a fresh reading");
                }
            } else {
                missing.add("no battery");
            }
            add(new Sample(now, meter == null ? null : meter.power().watts(), meter == null ? null : meter.importedTotal().wattHours(),
                    soc, capacity, maxCharge, maxDischarge));
            gap = missing.isEmpty() ? null : String.join(", ", missing);
        } catch (RuntimeException e) {
            gap = "the last cycle could not be read: " + e.getClass().getSimpleName();
        }
    }

    private static MeterReading meterReading(GridState grid, Instant now) {
        if (grid == null || grid.reading() == null) {
            return null;
        }
        return fresh(grid.status(), grid.reading().timestamp(), now) ? grid.reading() : null;
    }

    private static boolean fresh(DeviceStatus status, Instant measured, Instant now) {
        return measured != null && status.state() == DeviceStatus.State.ONLINE && !status.stale()
                && Duration.between(measured, now).compareTo(FRESH) <= 0;
    }

    private synchronized void add(Sample s) {
        samples.addLast(s);
        Instant oldest = s.at().minus(KEPT);
        while (!samples.isEmpty() && (samples.size() > MAX_SAMPLES || samples.peekFirst().at().isBefore(oldest))) {
            samples.removeFirst();
        }
    }

    /** The samples taken from {@code start} to {@code end}, both included, oldest first. */
    synchronized List<Sample> between(Instant start, Instant end) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.at().isBefore(start) && !s.at().isAfter(end)) {
                out.add(s);
            }
        }
        return out;
    }

    /** What the latest sampling could not measure, null when it measured everything. */
    String gap() {
        return gap;
    }
}

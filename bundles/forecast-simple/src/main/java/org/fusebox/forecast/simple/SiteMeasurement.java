package org.fusebox.forecast.simple;

import java.util.OptionalDouble;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;

/**
 * What a snapshot says about PV production and site load, in watts, both positive.
 *
 * <p>Signs, as the api defines them: the grid meter reads import positive, PV production is positive,
 * batteries are positive when charging and connectors positive when drawing. The site's uncontrolled
 * load is what the meter would read without PV, batteries and chargers:
 * {@code load = grid + pv - battery - chargers}.
 */
final class SiteMeasurement {

    /** Output capped this far below the rating means the panels could give more: not a sample. */
    private static final double CURTAILED_WATTS = 1.0;

    private SiteMeasurement() {
    }

    /**
     * One snapshot's value and what it lacks.
     *
     * @param watts the value to learn, empty when there is none
     * @param gap   the input that is missing, with what was done about it; null when nothing is
     */
    record Sample(OptionalDouble watts, String gap) {
    }

    static OptionalDouble of(ForecastKind kind, SiteSnapshot site) {
        return sample(kind, site).watts();
    }

    static Sample sample(ForecastKind kind, SiteSnapshot site) {
        if (kind == ForecastKind.PV_PRODUCTION) {
            String dark = missingPv(site);
            return new Sample(pvProduction(site, true), dark == null ? null : "not learning: " + dark);
        }
        return siteLoadSample(site);
    }

    /** The first inverter without a reading, or null. */
    private static String missingPv(SiteSnapshot site) {
        for (PvState pv : site.pv()) {
            if (pv.reading() == null) {
                return "PV inverter " + pv.id() + " has no reading";
            }
        }
        return null;
    }

    /**
     * The load, also while chargers have no reading: an unreachable charger draws its failsafe current at
     * most (usually nothing), so it is counted as drawing nothing rather than stopping all learning. The
     * grid meter, PV and batteries swing by kilowatts: without one of them there is no sample.
     */
    private static Sample siteLoadSample(SiteSnapshot site) {
        if (site.grid() == null || site.grid().reading() == null) {
            return new Sample(OptionalDouble.empty(), "not learning: the grid meter has no reading");
        }
        String dark = missingPv(site);
        if (dark != null) {
            return new Sample(OptionalDouble.empty(), "not learning: " + dark);
        }
        for (BatteryState b : site.batteries()) {
            if (b.reading() == null) {
                return new Sample(OptionalDouble.empty(), "not learning: battery " + b.id() + " has no reading");
            }
        }
        java.util.List<String> blind = new java.util.ArrayList<>();
        for (ChargerState c : site.chargers()) {
            if (c.reading() == null) {
                blind.add(c.id());
            }
        }
        double load = load(site);
        return new Sample(OptionalDouble.of(load), blind.isEmpty() ? null
                : "learning without charger" + (blind.size() > 1 ? "s " : " ") + String.join(", ", blind) + " (no reading: counted as drawing nothing)");
    }

    /**
     * Total PV output; empty when an inverter has no fresh reading, or (when {@code forLearning}) is
     * curtailed, since a capped output says nothing about the sun.
     */
    static OptionalDouble pvProduction(SiteSnapshot site, boolean forLearning) {
        double sum = 0;
        for (PvState pv : site.pv()) {
            if (pv.reading() == null) {
                return OptionalDouble.empty();
            }
            if (forLearning && pv.reading().outputLimit().watts() < pv.ratedPower().watts() - CURTAILED_WATTS) {
                return OptionalDouble.empty();
            }
            sum += pv.reading().power().watts();
        }
        return OptionalDouble.of(Math.max(0, sum));
    }

    /** grid + PV - batteries - chargers, with grid, PV and batteries read (checked by the caller). */
    private static double load(SiteSnapshot site) {
        double load = site.grid().reading().power().watts() + pvProduction(site, false).orElse(0);
        for (BatteryState b : site.batteries()) {
            load -= b.reading().power().watts();
        }
        for (ChargerState c : site.chargers()) {
            if (c.reading() == null) {
                continue; // counted as drawing nothing (see siteLoadSample)
            }
            for (ConnectorReading r : c.reading().connectors()) {
                load -= r.power().watts();
            }
        }
        // Meters and devices are not read at the same instant: a small negative is noise, not export.
        return Math.max(0, load);
    }
}

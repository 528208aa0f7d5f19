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

    static OptionalDouble of(ForecastKind kind, SiteSnapshot site) {
        return kind == ForecastKind.PV_PRODUCTION ? pvProduction(site, true) : siteLoad(site);
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

    /** The uncontrolled load; empty unless the grid meter and every device have a fresh reading. */
    static OptionalDouble siteLoad(SiteSnapshot site) {
        if (site.grid() == null || site.grid().reading() == null) {
            return OptionalDouble.empty();
        }
        OptionalDouble pv = pvProduction(site, false);
        if (pv.isEmpty()) {
            return pv;
        }
        double load = site.grid().reading().power().watts() + pv.getAsDouble();
        for (BatteryState b : site.batteries()) {
            if (b.reading() == null) {
                return OptionalDouble.empty();
            }
            load -= b.reading().power().watts();
        }
        for (ChargerState c : site.chargers()) {
            if (c.reading() == null) {
                return OptionalDouble.empty();
            }
            for (ConnectorReading r : c.reading().connectors()) {
                load -= r.power().watts();
            }
        }
        // Meters and devices are not read at the same instant: a small negative is noise, not export.
        return OptionalDouble.of(Math.max(0, load));
    }
}

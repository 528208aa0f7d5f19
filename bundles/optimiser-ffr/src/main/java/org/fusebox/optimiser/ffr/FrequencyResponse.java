package org.fusebox.optimiser.ffr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * What the site does at a given response: each battery's plan offset by its share of the full response,
 * then kept within what it may do (its rating, the SoC band over two cycles as the SafetyGuard counts, the
 * fuse and the export limit); on under-frequency, the responding chargers' limits lowered in proportion.
 * Pure: a function of the snapshot, the proposal, the settings and the response.
 */
final class FrequencyResponse {

    /** Setpoints must hold until the next cycle, and the guard allows for one missed: two periods. */
    private static final int HORIZON_CYCLES = 2;

    /**
     * @param setpoints what this optimiser asks (batteries and responding chargers only)
     * @param batteryOffset the power the response added to the plan, summed over the batteries, after bounds
     */
    record Decision(Setpoints setpoints, Power batteryOffset, List<String> notes) {
    }

    private FrequencyResponse() {
    }

    /**
     * @param response the droop curve's value, -1..1 (negative: under-frequency)
     */
    static Decision decide(SiteSnapshot site, Setpoints proposal, FfrSettings s, double response) {
        Setpoints out = proposal;
        Setpoints.Builder asked = Setpoints.builder();
        List<String> notes = new ArrayList<>();
        double totalRating = 0;
        for (BatteryState b : usable(site)) {
            totalRating += rating(b.ratings(), response);
        }
        double offsetSum = 0;
        for (BatteryState b : usable(site)) {
            double rating = rating(b.ratings(), response);
            double full = s.maxPowerWatts() > 0 && totalRating > 0 ? Math.min(rating, s.maxPowerWatts() * rating / totalRating) : rating;
            double planned = out.batteryPower(b.id()).orElse(Power.ZERO).watts();
            Bounds bounds = bounds(site, out, b);
            double wanted = planned + response * full;
            // to the watt, then within the bounds: both monotone, so the whole is
            double p = Math.max(bounds.lowest(), Math.min(bounds.highest(), Math.rint(wanted))) + 0.0;
            if (Math.abs(p - wanted) >= 1 && response != 0) {
                notes.add(b.id() + ": " + Math.round(wanted) + " W asked, " + Math.round(p) + " W within " + bounds.why());
            }
            offsetSum += p - planned;
            out = out.withBatteryPower(b.id(), Power.ofWatts(p));
            asked.batteryPower(b.id(), Power.ofWatts(p));
        }
        // after the batteries, so their bounds do not depend on the response through the chargers' cuts
        if (response < 0) {
            lowerChargers(site, out, asked, s, -response);
        }
        return new Decision(asked.build(), Power.ofWatts(offsetSum), notes);
    }

    /** Batteries the response may ask something of: online, with a reading to know their state of charge. */
    static List<BatteryState> usable(SiteSnapshot site) {
        return site.batteries().stream().filter(b -> b.status().isOnline() && b.reading() != null).toList();
    }

    private static double rating(BatteryRatings r, double response) {
        return response < 0 ? r.maxDischargePower().watts() : r.maxChargePower().watts();
    }

    record Bounds(double lowest, double highest, String why) {
    }

    /**
     * What a battery may be asked, given the rest of {@code setpoints}: lowest (most discharging, at most 0) to
     * highest (most charging, at least 0).
     */
    static Bounds bounds(SiteSnapshot site, Setpoints setpoints, BatteryState b) {
        SiteLimits limits = site.limits();
        BatteryRatings ratings = b.ratings();
        double soc = b.reading().soc().value();
        double capacityWh = ratings.capacity().wattHours();
        double hours = limits.cyclePeriod().multipliedBy(HORIZON_CYCLES).toNanos() / 3.6e12;
        double lowest = -ratings.maxDischargePower().watts();
        double highest = ratings.maxChargePower().watts();
        String low = "rating";
        String high = "rating";
        // the SoC band: nothing at or beyond a bound, and no more than is left to it over the horizon
        double toMin = soc <= limits.batteryMinSoc().value() ? 0 : (soc - limits.batteryMinSoc().value()) / 100 * capacityWh / hours;
        if (-toMin > lowest) {
            lowest = -toMin;
            low = "minimum SoC";
        }
        double toMax = soc >= limits.batteryMaxSoc().value() ? 0 : (limits.batteryMaxSoc().value() - soc) / 100 * capacityWh / hours;
        if (toMax < highest) {
            highest = toMax;
            high = "maximum SoC";
        }
        Optional<PhaseCurrents> rest = PhaseBudget.planned(site, setpoints.withBatteryPower(b.id(), Power.ZERO));
        if (rest.isPresent()) {
            double wattsPerAmp = limits.nominalVoltage().volts() * ratings.phases();
            double importRoom = Double.POSITIVE_INFINITY;
            double exportRoom = Double.POSITIVE_INFINITY;
            double exportLimit = limits.exportPlanningLimit().orElse(limits.fuseLimit().minus(limits.safetyMargin())).amps();
            for (Phase p : phasesOf(ratings)) {
                double now = rest.get().on(p).amps();
                importRoom = Math.min(importRoom, limits.planningLimit().amps() - now);
                exportRoom = Math.min(exportRoom, now + exportLimit);
            }
            double fuseHigh = Math.max(0, importRoom) * wattsPerAmp;
            if (fuseHigh < highest) {
                highest = fuseHigh;
                high = "the fuse";
            }
            double exportLow = -Math.max(0, exportRoom) * wattsPerAmp;
            if (exportLow > lowest) {
                lowest = exportLow;
                low = "the export limit";
            }
        }
        return new Bounds(Math.min(0, lowest), Math.max(0, highest), low.equals(high) ? low : low + " / " + high);
    }

    private static List<Phase> phasesOf(BatteryRatings r) {
        return r.phases() == 1 ? List.of(Phase.L1) : List.of(Phase.values());
    }

    /**
     * Responding chargers' limits times (1 - share), rounded down to 0.1 A; below the connector's minimum, paused.
     * Only ever lowers what the proposal asked.
     */
    private static Setpoints lowerChargers(SiteSnapshot site, Setpoints out, Setpoints.Builder asked, FfrSettings s, double share) {
        for (ChargerState c : site.chargers()) {
            if (!s.chargerResponds(c.id())) {
                continue;
            }
            for (ConnectorInfo info : c.connectors()) {
                ConnectorRef ref = new ConnectorRef(c.id(), info.connectorId());
                Optional<Current> planned = out.chargerLimit(ref);
                if (planned.isEmpty() || planned.get().amps() <= 0) {
                    continue;
                }
                double amps = Math.floor(planned.get().amps() * (1 - share) * 10 + 1e-9) / 10;
                amps = Math.min(amps, planned.get().amps());
                Current limit = amps < info.minCurrent().amps() ? Current.ZERO : Current.ofAmps(amps);
                out = out.withChargerLimit(ref, limit);
                asked.chargerLimit(ref, limit);
            }
        }
        return out;
    }

    static Duration horizon(SiteLimits limits) {
        return limits.cyclePeriod().multipliedBy(HORIZON_CYCLES);
    }
}

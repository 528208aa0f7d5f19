package org.fusebox.optimiser.peakshaving;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.PowerSlot;

/**
 * What the forecast peaks ahead ask of the batteries now: the energy to keep above the minimum SoC, and the
 * import level up to which to charge when they hold less. A pure function of the snapshot and the settings.
 *
 * <p>Each billing interval of the horizon gets a forecast net import, load x factor - PV / factor (the
 * uncontrolled load only: EVs can be paused, so the batteries need not cover them). Above the target it is
 * an <em>excess</em> the batteries must deliver, below it <em>room</em> they may charge in. The energy kept
 * is what the first forecast peak after the current interval needs, counted backwards from the end of the
 * horizon: each peak adds its excess (within the discharge rating, over the discharge efficiency), each
 * interval of room between later peaks takes off what can be charged there (within the charge rating),
 * never below 0 nor above the usable capacity. When the batteries hold less, the missing energy is charged
 * before that peak where the forecast shows the most room: a water level L under the target such that
 * charging {@code min(rating, room - L)} in every interval until the peak fills the gap; this cycle charges
 * up to an import of {@code target - L}.
 *
 * @param keepWh      stored energy above the minimum SoC the batteries keep from economic discharging, all of
 *                    them together
 * @param floorWh     what they keep when discharging for the interval running now: {@code keepWh} less what the
 *                    intervals between this one and the peak can charge back, so a peak now is not given up for
 *                    energy that can be recharged in time
 * @param chargeToW   the import up to which batteries charge now; {@code NaN} when they need not
 * @param peakStart   the first forecast peak the energy is kept for; {@code null} when none
 * @param usableWh    the batteries' energy between the SoC band's ends, for the shares of {@link #keepWh}
 */
record PeakReserve(double keepWh, double floorWh, double chargeToW, Instant peakStart, double usableWh) {

    static final PeakReserve NONE = new PeakReserve(0, 0, Double.NaN, null, 0);

    boolean charges() {
        return !Double.isNaN(chargeToW);
    }

    /** A battery's share of {@link #keepWh}, in proportion to its usable energy. */
    double keepWh(BatteryState b, SiteSnapshot site) {
        return share(keepWh, b, site);
    }

    /** A battery's share of {@link #floorWh}. */
    double floorWh(BatteryState b, SiteSnapshot site) {
        return share(floorWh, b, site);
    }

    private double share(double wh, BatteryState b, SiteSnapshot site) {
        if (wh <= 0 || usableWh <= 0) {
            return 0;
        }
        return wh * usableWh(site, b) / usableWh;
    }

    static double usableWh(SiteSnapshot site, BatteryState b) {
        double band = site.limits().batteryMaxSoc().value() - site.limits().batteryMinSoc().value();
        return band / 100 * b.ratings().capacity().wattHours();
    }

    /** One billing interval ahead: its length in hours and the forecast net import, NaN when unknown. */
    private record Slot(Instant start, double hours, double netW) {
    }

    /**
     * @param currentEnd end of the billing interval running now
     * @param targetW    the import aimed at (the peak less the headroom)
     */
    static PeakReserve plan(SiteSnapshot site, PeakShavingSettings settings, BillingIntervals intervals, Instant currentEnd,
            double targetW) {
        PeakShavingSettings.LookAhead look = settings.lookAhead();
        PowerForecast load = site.forecast(ForecastKind.SITE_LOAD);
        if (!look.enabled() || load.isEmpty()) {
            return NONE;
        }
        double usableWh = 0, storedWh = 0, chargeW = 0, dischargeW = 0, efficiency = 1;
        double min = site.limits().batteryMinSoc().value();
        double max = site.limits().batteryMaxSoc().value();
        for (BatteryState b : site.batteries()) {
            if (b.reading() == null || !b.status().isOnline()) {
                continue;
            }
            double capacity = b.ratings().capacity().wattHours();
            usableWh += usableWh(site, b);
            storedWh += Math.max(0, Math.min(max, b.reading().soc().value()) - min) / 100 * capacity;
            chargeW += b.ratings().maxChargePower().watts();
            dischargeW += b.ratings().maxDischargePower().watts();
            efficiency = Math.min(efficiency, oneWay(b.ratings().roundTripEfficiency().value()));
        }
        if (usableWh <= 0) {
            return NONE;
        }
        List<Slot> slots = slots(site, look, intervals, currentEnd, load);
        int first = -1;
        for (int k = 1; k < slots.size(); k++) {
            if (slots.get(k).netW() > targetW) {
                first = k;
                break;
            }
        }
        if (first < 0) {
            return NONE;
        }
        double keep = 0;
        for (int k = slots.size() - 1; k >= first; k--) {
            Slot s = slots.get(k);
            if (Double.isNaN(s.netW())) {
                continue; // unknown: neither a peak nor room
            }
            double excess = Math.min(dischargeW, Math.max(0, s.netW() - targetW)) * s.hours() / efficiency;
            double room = Math.min(chargeW, Math.max(0, targetW - s.netW())) * s.hours() * efficiency;
            keep = Math.min(usableWh, Math.max(0, keep + excess - room));
        }
        double floor = keep;
        for (int k = first - 1; k >= 1; k--) {
            Slot s = slots.get(k);
            if (!Double.isNaN(s.netW())) {
                floor = Math.max(0, floor - Math.min(chargeW, Math.max(0, targetW - s.netW())) * s.hours() * efficiency);
            }
        }
        double missingWh = keep - storedWh;
        if (missingWh <= 0) {
            return new PeakReserve(keep, floor, Double.NaN, slots.get(first).start(), usableWh);
        }
        List<Slot> before = slots.subList(0, first);
        double lo = 0, hi = Math.max(0, targetW);
        if (chargeable(before, 0, targetW, chargeW, efficiency) > missingWh) {
            for (int i = 0; i < 60; i++) {
                double mid = (lo + hi) / 2;
                if (chargeable(before, mid, targetW, chargeW, efficiency) >= missingWh) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
        }
        return new PeakReserve(keep, floor, targetW - lo, slots.get(first).start(), usableWh);
    }

    /** Energy stored when charging {@code min(rating, room - level)} in each slot. */
    private static double chargeable(List<Slot> slots, double level, double targetW, double chargeW, double efficiency) {
        double wh = 0;
        for (Slot s : slots) {
            if (!Double.isNaN(s.netW())) {
                wh += Math.min(chargeW, Math.max(0, targetW - s.netW() - level)) * s.hours() * efficiency;
            }
        }
        return wh;
    }

    /** The billing intervals from now to the horizon, the first from now to the end of the current one. */
    private static List<Slot> slots(SiteSnapshot site, PeakShavingSettings.LookAhead look, BillingIntervals intervals,
            Instant currentEnd, PowerForecast load) {
        PowerForecast pv = site.forecast(ForecastKind.PV_PRODUCTION);
        Instant now = site.timestamp();
        Instant horizon = now.plus(look.horizon());
        List<Slot> slots = new ArrayList<>();
        Instant from = now;
        Instant to = currentEnd;
        while (from.isBefore(horizon)) {
            double loadW = average(load, from, to);
            double pvW = average(pv, from, to);
            double net = Double.isNaN(loadW) ? Double.NaN
                    : loadW * look.safetyFactor() - (Double.isNaN(pvW) ? 0 : pvW / look.safetyFactor());
            slots.add(new Slot(from, Duration.between(from, to).toNanos() / 3.6e12, net));
            from = to;
            to = intervals.endOf(to);
        }
        return slots;
    }

    /** The forecast's average over the part of [from, to) it covers; NaN when it covers none of it. */
    static double average(PowerForecast f, Instant from, Instant to) {
        double wattNanos = 0;
        long covered = 0;
        for (PowerSlot s : f.slots()) {
            if (!s.end().isAfter(from)) {
                continue;
            }
            if (!s.start().isBefore(to)) {
                break;
            }
            Instant a = s.start().isAfter(from) ? s.start() : from;
            Instant b = s.end().isBefore(to) ? s.end() : to;
            long nanos = Duration.between(a, b).toNanos();
            wattNanos += s.power().watts() * nanos;
            covered += nanos;
        }
        return covered == 0 ? Double.NaN : wattNanos / covered;
    }

    /** One direction's efficiency from the round trip; a rating outside 50..100 % is taken as 90 %. */
    static double oneWay(double roundTripPercent) {
        double rt = roundTripPercent > 50 && roundTripPercent <= 100 ? roundTripPercent / 100 : 0.9;
        return Math.sqrt(rt);
    }
}

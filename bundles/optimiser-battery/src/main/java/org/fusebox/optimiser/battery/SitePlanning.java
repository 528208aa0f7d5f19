package org.fusebox.optimiser.battery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.PowerSlot;

/**
 * Turns a snapshot into planning problems: the slots with their prices and expected net load, and per
 * battery its model and power bounds (ratings, fuse, mode). A pure function of snapshot and settings.
 */
final class SitePlanning {

    static final Duration HORIZON = Duration.ofHours(48);
    static final Duration FALLBACK_HORIZON = Duration.ofHours(24);

    /** A slot's time and prices, before any battery. */
    record Frame(Instant start, Duration length, double importPrice, double exportPrice) {
        Instant end() {
            return start.plus(length);
        }

        double hours() {
            return length.toNanos() / 3.6e12;
        }
    }

    /**
     * Everything the site says before the batteries are planned.
     *
     * @param frames     the slots
     * @param currency   the prices' currency
     * @param netKw      expected load less PV per slot, without batteries and chargers (slot 0: measured now)
     * @param baseAmps   per slot, the current on L1..L3 the fuse already carries without batteries
     * @param notes      what the operator should know about the inputs
     */
    record SiteProblem(List<Frame> frames, Currency currency, double[] netKw, double[][] baseAmps, List<String> notes) {
    }

    /** Empty, with the reason in {@code notes}, when there is nothing to plan from. */
    static Optional<SiteProblem> site(SiteSnapshot site, BatterySettings settings, List<String> notes) {
        if (site.grid() == null || site.grid().reading() == null) {
            notes.add("no fresh grid reading: batteries left as proposed");
            return Optional.empty();
        }
        Instant now = site.timestamp();
        List<Frame> frames = new ArrayList<>();
        Currency currency = frames(site.prices(), site.exportPrices(), site.spotPrices(), now, settings, frames);
        if (frames.isEmpty()) {
            if (settings.mode() != BatterySettings.Mode.SELF_CONSUMPTION) {
                notes.add("no price known for now: batteries left as proposed");
                return Optional.empty();
            }
            currency = settings.fallbackCurrency();
            fallbackFrames(now, settings, frames);
            notes.add("no prices: planned " + FALLBACK_HORIZON.toHours() + " h at the flat fallback import price");
        }
        double gridKw = site.grid().reading().power().watts() / 1000;
        double batteriesKw = 0;
        for (BatteryState b : site.batteries()) {
            batteriesKw += b.reading() == null ? 0 : b.reading().power().watts() / 1000;
        }
        double chargersKw = 0;
        PhaseCurrents chargerAmps = PhaseCurrents.ZERO;
        for (ChargerState c : site.chargers()) {
            if (c.reading() != null) {
                for (ConnectorReading r : c.reading().connectors()) {
                    chargersKw += r.power().watts() / 1000;
                    chargerAmps = chargerAmps.plus(r.currents());
                }
            }
        }
        double netNowKw = gridKw - batteriesKw - chargersKw;
        double pvNowKw = 0;
        for (PvState pv : site.pv()) {
            pvNowKw += pv.reading() == null ? 0 : pv.reading().power().watts() / 1000;
        }
        double loadNowKw = netNowKw + pvNowKw;
        PowerForecast load = site.forecast(ForecastKind.SITE_LOAD);
        PowerForecast pv = site.forecast(ForecastKind.PV_PRODUCTION);
        if (load.isEmpty()) {
            notes.add("no site load forecast: the load measured now is assumed for the whole horizon");
        }
        if (pv.isEmpty()) {
            notes.add("no PV forecast: no PV assumed after the current slot");
        }
        int n = frames.size();
        double[] net = new double[n];
        double[][] base = new double[n][];
        double volts = site.limits().nominalVoltage().volts();
        int sitePhases = site.limits().phases();
        net[0] = netNowKw;
        // The fuse now: what the meter sees that no battery accounts for, chargers included at their draw.
        PhaseCurrents nowAmps = PhaseBudget.uncontrolled(site).orElse(PhaseCurrents.ZERO).plus(chargerAmps);
        base[0] = new double[] { nowAmps.l1().amps(), nowAmps.l2().amps(), nowAmps.l3().amps() };
        for (int t = 1; t < n; t++) {
            Frame f = frames.get(t);
            net[t] = average(load, f.start(), f.end(), loadNowKw) - average(pv, f.start(), f.end(), 0);
            base[t] = spread(net[t], volts, sitePhases);
        }
        return Optional.of(new SiteProblem(frames, currency, net, base, notes));
    }

    /** A net load spread evenly over the site's phases (a forecast knows no phases). */
    static double[] spread(double kw, double volts, int sitePhases) {
        double amps = kw * 1000 / (volts * sitePhases);
        return sitePhases == 1 ? new double[] { amps, 0, 0 } : new double[] { amps, amps, amps };
    }

    /** The mean of a forecast over {@code [a, b)} in kW, {@code fallbackKw} where it says nothing. */
    static double average(PowerForecast f, Instant a, Instant b, double fallbackKw) {
        double total = (double) Duration.between(a, b).toMillis();
        double covered = 0;
        double sum = 0;
        for (PowerSlot s : f.slots()) {
            if (!s.end().isAfter(a)) {
                continue;
            }
            if (!s.start().isBefore(b)) {
                break;
            }
            Instant from = s.start().isAfter(a) ? s.start() : a;
            Instant to = s.end().isBefore(b) ? s.end() : b;
            double ms = Duration.between(from, to).toMillis();
            covered += ms;
            sum += ms * s.power().watts() / 1000;
        }
        return (sum + (total - covered) * fallbackKw) / total;
    }

    /**
     * Slots of the configured length aligned to the clock, the first from now to the next boundary, while
     * prices last (a gap ends the horizon), at most {@link #HORIZON}. Returns the prices' currency.
     */
    static Currency frames(PriceCurve prices, Instant now, BatterySettings s, List<Frame> out) {
        return frames(prices, PriceCurve.EMPTY, PriceCurve.EMPTY, now, s, out);
    }

    /**
     * As {@link #frames(PriceCurve, Instant, BatterySettings, List)}, {@code prices} being what the site pays.
     * With {@code exportPrice=spot}, export is valued at the tariff's export price where it is known, else at the
     * market price the tariff started from, else (no tariff: the site pays the market price) at {@code prices}.
     */
    static Currency frames(PriceCurve prices, PriceCurve exportPrices, PriceCurve spotPrices, Instant now, BatterySettings s,
            List<Frame> out) {
        Currency currency = prices.slots().isEmpty() ? null : prices.slots().get(0).price().currency();
        PriceLookup exports = new PriceLookup(exportPrices, currency);
        PriceLookup spot = new PriceLookup(spotPrices, currency);
        Instant horizon = now.plus(HORIZON);
        List<PriceSlot> ahead = prices.slots().stream().filter(p -> p.end().isAfter(now) && p.start().isBefore(horizon)).toList();
        if (ahead.isEmpty()) {
            return null;
        }
        long step = s.slotLength().toMillis();
        Instant start = now;
        Instant end = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), step) * step + step);
        int k = 0;
        while (start.isBefore(horizon)) {
            while (k < ahead.size() && !ahead.get(k).end().isAfter(start)) {
                k++;
            }
            if (k == ahead.size() || !ahead.get(k).contains(start)) {
                break;
            }
            double paid = ahead.get(k).price().perKilowattHour();
            double export = s.fixedExport() ? s.feedInPerKwh() : exports.at(start, spot.at(start, paid));
            out.add(new Frame(start, Duration.between(start, end), paid + s.importMarkupPerKwh(), export));
            start = end;
            end = end.plus(s.slotLength());
        }
        return ahead.get(0).price().currency();
    }

    /** Prices per kWh looked up at increasing instants, in one currency (others are not used). */
    private static final class PriceLookup {
        private final List<PriceSlot> slots;
        private int k;

        PriceLookup(PriceCurve curve, Currency currency) {
            this.slots = currency == null ? List.of()
                    : curve.slots().stream().filter(p -> p.price().currency().equals(currency)).toList();
        }

        double at(Instant t, double otherwise) {
            while (k < slots.size() && !slots.get(k).end().isAfter(t)) {
                k++;
            }
            return k < slots.size() && slots.get(k).contains(t) ? slots.get(k).price().perKilowattHour() : otherwise;
        }
    }

    static void fallbackFrames(Instant now, BatterySettings s, List<Frame> out) {
        long step = s.slotLength().toMillis();
        Instant start = now;
        Instant end = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), step) * step + step);
        Instant horizon = now.plus(FALLBACK_HORIZON);
        while (start.isBefore(horizon)) {
            out.add(new Frame(start, Duration.between(start, end), s.fallbackImportPerKwh(), s.fixedExport() ? s.feedInPerKwh() : 0));
            start = end;
            end = end.plus(s.slotLength());
        }
    }

    /**
     * One battery's slots: power within its ratings, within the fuse (planning limit, both directions)
     * given what the site and the batteries planned before it draw, and within the mode's rules.
     *
     * @param netKw    net load per slot including batteries planned before this one
     * @param baseAmps per-phase current per slot including batteries planned before this one
     */
    static List<Slot> slots(SiteProblem p, double[] netKw, double[][] baseAmps, BatteryState battery, SiteSnapshot site,
            BatterySettings s) {
        BatteryRatings r = battery.ratings();
        double volts = site.limits().nominalVoltage().volts();
        double limit = site.limits().planningLimit().amps();
        List<Phase> used = r.phases() == 1 ? List.of(Phase.L1) : List.of(Phase.values());
        List<Slot> out = new ArrayList<>(p.frames().size());
        for (int t = 0; t < p.frames().size(); t++) {
            Frame f = p.frames().get(t);
            double maxKw = r.maxChargePower().watts() / 1000;
            double minKw = -r.maxDischargePower().watts() / 1000;
            for (Phase ph : used) {
                double b = baseAmps[t][ph.ordinal()];
                maxKw = Math.min(maxKw, (limit - b) * volts * r.phases() / 1000);
                minKw = Math.max(minKw, -(limit + b) * volts * r.phases() / 1000);
            }
            if (s.mode() == BatterySettings.Mode.SELF_CONSUMPTION) {
                if (!(f.importPrice() < s.gridChargeBelowPerKwh())) {
                    maxKw = Math.min(maxKw, Math.max(0, -netKw[t])); // PV surplus only
                }
                minKw = Math.max(minKw, -Math.max(0, netKw[t])); // cover the load, never export
            }
            out.add(new Slot(f.start(), f.length(), f.importPrice(), f.exportPrice(), netKw[t], Math.min(0, minKw), Math.max(0, maxKw)));
        }
        return out;
    }

    /** The planner's view of one battery; the SoC band is the tighter of ours and the core's guard. */
    static BatteryModel model(BatteryState battery, SiteSnapshot site, BatterySettings s, List<Frame> frames) {
        BatteryRatings r = battery.ratings();
        double cap = r.capacity().kilowattHours();
        double rt = Math.max(0.01, Math.min(1, r.roundTripEfficiency().fraction()));
        double etaC = s.chargeEfficiency() > 0 ? s.chargeEfficiency() : Math.sqrt(rt);
        double etaD = s.dischargeEfficiency() > 0 ? s.dischargeEfficiency() : Math.sqrt(rt);
        double minPct = Math.max(s.minSocPercent(), site.limits().batteryMinSoc().value());
        double maxPct = Math.min(s.maxSocPercent(), site.limits().batteryMaxSoc().value());
        // Energy left at the end of the horizon is worth at least what it fetches in the horizon's cheapest
        // hour: sold (arbitrage), or covering load instead of an import (self-consumption, which never
        // sells). Valued higher, the plan would hoard energy it could use now; a tenth is held back so that,
        // other things equal, energy is used inside the known horizon rather than carried past it.
        double cheapest = frames.stream()
                .mapToDouble(s.mode() == BatterySettings.Mode.SELF_CONSUMPTION ? Frame::importPrice : Frame::exportPrice).min().orElse(0);
        double terminal = 0.9 * Math.max(0, etaD * cheapest - s.degradationPerKwh() / 2);
        return new BatteryModel(cap, etaC, etaD, cap * minPct / 100, cap * maxPct / 100, cap * s.socStepPercent() / 100,
                s.degradationPerKwh(), terminal);
    }

    /** Batteries to plan, in snapshot order, with why the others are left out. */
    static Map<BatteryState, String> batteries(SiteSnapshot site, BatterySettings s) {
        Map<BatteryState, String> out = new LinkedHashMap<>();
        for (BatteryState b : site.batteries()) {
            if (!s.plans(b.id())) {
                continue;
            }
            if (!b.status().isOnline()) {
                out.put(b, "offline");
            } else if (b.reading() == null) {
                out.put(b, "no fresh reading");
            } else {
                out.put(b, null);
            }
        }
        return out;
    }
}

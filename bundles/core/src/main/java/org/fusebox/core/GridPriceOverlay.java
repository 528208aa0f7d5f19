package org.fusebox.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * Puts the prices a grid program sends (OpenADR PRICE and EXPORT_PRICE) over what the feeds and the tariff say:
 * during a program's intervals the site pays (or earns) the program's price, which is what the utility bills.
 * Where several price signals overlap, the one that started last wins (the newer instruction), then the higher
 * price (the cautious one for planning). A signal in another currency than the site's prices is not used, and
 * says so; one "until further notice" runs to the end of the planning horizon.
 */
final class GridPriceOverlay {

    /** The prices with the overlay and every signal that could not be used, with why. */
    record Result(SitePrices prices, List<String> problems) {
    }

    private GridPriceOverlay() {
    }

    static Result apply(SitePrices prices, List<GridSignal> signals, Instant from, Instant to) {
        List<String> problems = new ArrayList<>();
        PriceCurve imports = overlay(prices.importPrices(), of(signals, GridSignalKind.PRICE), from, to, "import", problems);
        PriceCurve exports = overlay(prices.exportPrices(), of(signals, GridSignalKind.EXPORT_PRICE), from, to, "export", problems);
        return new Result(new SitePrices(prices.spot(), imports, exports), List.copyOf(problems));
    }

    private static List<GridSignal> of(List<GridSignal> signals, GridSignalKind kind) {
        return signals.stream().filter(s -> s.kind() == kind).toList();
    }

    static PriceCurve overlay(PriceCurve base, List<GridSignal> signals, Instant from, Instant to, String side,
            List<String> problems) {
        String currency = base.slots().isEmpty() ? null : base.slots().get(0).price().currency().getCurrencyCode();
        List<GridSignal> usable = new ArrayList<>();
        for (GridSignal s : signals) {
            if (s.currency().isEmpty()) {
                problems.add("grid " + side + " price " + s.id() + " from " + s.source() + " has no currency: not used");
            } else if (currency != null && !currency.equals(s.currency())) {
                problems.add("grid " + side + " price " + s.id() + " from " + s.source() + " is in " + s.currency()
                        + ", the site's prices in " + currency + ": not used");
            } else {
                currency = s.currency();
                usable.add(s);
            }
        }
        if (usable.isEmpty()) {
            return base;
        }
        // cut the time at every boundary of a slot or a signal, then take for each piece the signal or the slot
        TreeSet<Instant> cuts = new TreeSet<>();
        for (PriceSlot slot : base.slots()) {
            cuts.add(slot.start());
            cuts.add(slot.end());
        }
        for (GridSignal s : usable) {
            cuts.add(max(s.start(), from));
            cuts.add(s.end() == null ? to : min(s.end(), to));
        }
        List<Piece> out = new ArrayList<>();
        Instant previous = null;
        for (Instant cut : cuts) {
            if (previous != null && cut.isAfter(previous)) {
                Instant at = previous;
                Duration length = Duration.between(previous, cut);
                GridSignal winner = usable.stream().filter(s -> s.isActiveAt(at) && at.isBefore(to))
                        .max(Comparator.comparing(GridSignal::start).thenComparingDouble(GridSignal::value)).orElse(null);
                if (winner != null) {
                    out.add(new Piece(new PriceSlot(at, length, new EnergyPrice(Money.of(winner.value(), winner.currency())),
                            winner.source()), winner));
                } else {
                    base.at(at).ifPresent(slot -> out.add(new Piece(new PriceSlot(at, length, slot.price(), slot.source()), slot)));
                }
            }
            previous = cut;
        }
        return new PriceCurve(rejoined(out));
    }

    /** A piece of time and the slot or signal it was cut from. */
    private record Piece(PriceSlot slot, Object origin) {
    }

    /** Neighbouring pieces of one slot or one signal become one slot again. */
    private static List<PriceSlot> rejoined(List<Piece> pieces) {
        List<PriceSlot> out = new ArrayList<>();
        Object lastOrigin = null;
        for (Piece p : pieces) {
            PriceSlot last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && p.origin() == lastOrigin && last.end().equals(p.slot().start())) {
                out.set(out.size() - 1, new PriceSlot(last.start(), last.length().plus(p.slot().length()), last.price(), last.source()));
            } else {
                out.add(p.slot());
            }
            lastOrigin = p.origin();
        }
        return out;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

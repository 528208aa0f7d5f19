package org.fusebox.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;

/**
 * Merges the curves of several price feeds, the preferred first, into the one curve the planners see.
 * Per instant the price is that of the first feed that knows it; a later feed only fills gaps. A slot of a
 * later feed that is partly covered (an hourly slot where the preferred feed knows one quarter hour) is cut
 * to the parts not covered, at its own price per MWh: never two prices for one instant, and no instant left
 * unknown that some feed knows. Every slot names its feed ({@link PriceSlot#source()}). The curve keeps one
 * currency, that of the first feed that gave a slot; slots in another currency are left out and said.
 */
final class PriceMerge {

    /** One feed's answer. */
    record FeedCurve(String feedId, PriceCurve curve) {
    }

    /** The merged curve and what was left out, for health. */
    record Merged(PriceCurve curve, List<String> problems) {
    }

    private PriceMerge() {
    }

    static Merged merge(List<FeedCurve> inPriority) {
        TreeMap<Instant, PriceSlot> taken = new TreeMap<>();
        Currency currency = null;
        String currencyFeed = null;
        List<String> problems = new ArrayList<>();
        for (FeedCurve fc : inPriority) {
            int otherCurrency = 0;
            for (PriceSlot slot : fc.curve().slots()) {
                Currency c = slot.price().currency();
                if (currency == null) {
                    currency = c;
                    currencyFeed = fc.feedId();
                } else if (!currency.equals(c)) {
                    otherCurrency++;
                    continue;
                }
                for (PriceSlot part : uncovered(taken, slot.withSource(fc.feedId()))) {
                    taken.put(part.start(), part);
                }
            }
            if (otherCurrency > 0) {
                problems.add("price feed " + fc.feedId() + " gives prices in " + otherCurrency(fc) + ", not in " + currency
                        + " as " + currencyFeed + ": its " + otherCurrency + " slots are not used");
            }
        }
        return new Merged(new PriceCurve(List.copyOf(taken.values())), List.copyOf(problems));
    }

    private static String otherCurrency(FeedCurve fc) {
        return fc.curve().slots().stream().map(s -> s.price().currency().getCurrencyCode()).distinct().reduce((a, b) -> a + "/" + b)
                .orElse("?");
    }

    /** The parts of {@code slot} that no slot taken so far covers. */
    private static List<PriceSlot> uncovered(TreeMap<Instant, PriceSlot> taken, PriceSlot slot) {
        List<PriceSlot> parts = new ArrayList<>(1);
        Instant cursor = slot.start();
        Instant end = slot.end();
        Map.Entry<Instant, PriceSlot> before = taken.lowerEntry(cursor);
        if (before != null && before.getValue().end().isAfter(cursor)) {
            cursor = before.getValue().end();
        }
        if (!cursor.isBefore(end)) {
            return parts;
        }
        for (PriceSlot t : taken.subMap(cursor, true, end, false).values()) {
            if (t.start().isAfter(cursor)) {
                parts.add(part(slot, cursor, t.start()));
            }
            if (t.end().isAfter(cursor)) {
                cursor = t.end();
            }
        }
        if (cursor.isBefore(end)) {
            parts.add(part(slot, cursor, end));
        }
        return parts;
    }

    private static PriceSlot part(PriceSlot slot, Instant from, Instant to) {
        return new PriceSlot(from, Duration.between(from, to), slot.price(), slot.source());
    }
}

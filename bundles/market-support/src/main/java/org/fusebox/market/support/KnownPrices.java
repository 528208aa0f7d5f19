package org.fusebox.market.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;

/** An immutable set of known slots; a fetch makes a new one, so readers never see half of a change. */
public final class KnownPrices {

    public static final KnownPrices NONE = new KnownPrices(new TreeMap<>());

    private final NavigableMap<Instant, PriceSlot> byStart;

    private KnownPrices(NavigableMap<Instant, PriceSlot> byStart) {
        this.byStart = byStart;
    }

    public static KnownPrices of(List<PriceSlot> slots) {
        return NONE.merge(slots, Instant.MIN);
    }

    /**
     * These prices with {@code fresh} in force where they overlap (a later publication wins), slots ending
     * before {@code keepFrom} dropped. Throws {@link IllegalArgumentException} (and changes nothing) when
     * {@code fresh} overlaps itself.
     */
    public KnownPrices merge(List<PriceSlot> fresh, Instant keepFrom) {
        new PriceCurve(fresh); // refuses overlapping slots
        TreeMap<Instant, PriceSlot> next = new TreeMap<>(byStart);
        for (PriceSlot s : fresh) {
            // remove every old slot overlapping s: they start before s ends and end after s starts
            Map.Entry<Instant, PriceSlot> before = next.lowerEntry(s.start());
            if (before != null && before.getValue().end().isAfter(s.start())) {
                next.remove(before.getKey());
            }
            next.subMap(s.start(), true, s.end(), false).clear();
        }
        for (PriceSlot s : fresh) {
            next.put(s.start(), s);
        }
        next.values().removeIf(s -> !s.end().isAfter(keepFrom));
        return new KnownPrices(next);
    }

    public List<PriceSlot> slots() {
        return List.copyOf(byStart.values());
    }

    public int size() {
        return byStart.size();
    }

    /** The known slots overlapping {@code [from, to)}. */
    public PriceCurve between(Instant from, Instant to) {
        if (!from.isBefore(to) || byStart.isEmpty()) {
            return PriceCurve.EMPTY;
        }
        Instant first = byStart.floorKey(from);
        List<PriceSlot> out = new ArrayList<>();
        for (PriceSlot s : byStart.subMap(first == null ? from : first, true, to, false).values()) {
            if (s.end().isAfter(from)) {
                out.add(s);
            }
        }
        return out.isEmpty() ? PriceCurve.EMPTY : new PriceCurve(out);
    }

    /** The end of the gapless run of slots that contains {@code now}; {@code now} itself when none does. */
    public Instant knownUntil(Instant now) {
        Map.Entry<Instant, PriceSlot> e = byStart.floorEntry(now);
        if (e == null || !e.getValue().contains(now)) {
            return now;
        }
        Instant end = e.getValue().end();
        for (PriceSlot s : byStart.tailMap(end, true).values()) {
            if (!s.start().equals(end)) {
                break;
            }
            end = s.end();
        }
        return end;
    }

    /** From the first start to the last end (gaps included). */
    public Duration span() {
        return byStart.isEmpty() ? Duration.ZERO : Duration.between(byStart.firstKey(), byStart.lastEntry().getValue().end());
    }
}

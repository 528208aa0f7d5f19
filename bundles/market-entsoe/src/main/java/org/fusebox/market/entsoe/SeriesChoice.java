package org.fusebox.market.entsoe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.market.entsoe.A44Parser.RawPeriod;
import org.fusebox.market.entsoe.A44Parser.RawSeries;

/**
 * Picks the SDAC prices among the TimeSeries of a document. A zone such as DE-LU or AT carries a second
 * auction in the same document, told apart by {@code classificationSequence_AttributeInstanceComponent.position}
 * (1 = SDAC). Several series are normal (one per delivery day); what is refused is a choice that is not
 * clear: two candidates for the same time, a series without a position next to ones with it, or a time
 * covered only by a series that is not position 1. Nothing falls back silently.
 */
final class SeriesChoice {

    static final int SDAC = 1;

    private SeriesChoice() {
    }

    static List<PriceSlot> choose(List<RawSeries> all, String zone) throws DocumentRefused {
        Currency currency = null;
        for (RawSeries s : all) {
            if (!zone.equals(s.inDomain()) || !zone.equals(s.outDomain())) {
                throw new DocumentRefused(s.label() + " is for in_Domain " + s.inDomain() + " / out_Domain " + s.outDomain()
                        + ", asked for zone " + zone);
            }
            Currency c = currencyOf(s);
            if (currency != null && !currency.equals(c)) {
                throw new DocumentRefused(s.label() + " is in " + c + ", an earlier series in " + currency + "; refusing to mix");
            }
            currency = c;
            if (!"MWH".equals(s.unit())) {
                throw new DocumentRefused(s.label() + ": price_Measure_Unit.name " + s.unit() + ", expected MWH");
            }
            if (s.periods().isEmpty()) {
                throw new DocumentRefused(s.label() + " has no Period");
            }
        }
        long withPosition = all.stream().filter(s -> s.sequencePosition() != null).count();
        if (withPosition != 0 && withPosition != all.size()) {
            RawSeries without = all.stream().filter(s -> s.sequencePosition() == null).findFirst().orElseThrow();
            throw new DocumentRefused(without.label() + " has no classificationSequence position while others have one;"
                    + " cannot tell whether it is the SDAC auction");
        }
        List<RawSeries> chosen = all.stream().filter(s -> s.sequencePosition() == null || s.sequencePosition() == SDAC).toList();
        List<RawSeries> others = all.stream().filter(s -> !chosen.contains(s)).toList();
        List<Span> chosenSpans = spans(chosen);
        chosenSpans.sort(Comparator.comparing(Span::start));
        for (int i = 1; i < chosenSpans.size(); i++) {
            Span a = chosenSpans.get(i - 1);
            Span b = chosenSpans.get(i);
            if (b.start().isBefore(a.end())) {
                throw new DocumentRefused("ambiguous: " + a.series().label() + " and " + b.series().label() + " both price "
                        + b.start() + (withPosition == 0 ? " and neither names its auction (classificationSequence position)"
                        : " as classificationSequence position " + SDAC));
            }
        }
        for (Span other : spans(others)) {
            if (!covered(other, chosenSpans)) {
                throw new DocumentRefused("no SDAC series (classificationSequence position " + SDAC + ") for " + other.start()
                        + "/" + other.end() + ", only " + other.series().label() + " at position "
                        + other.series().sequencePosition() + "; not used in its place");
            }
        }
        List<PriceSlot> slots = new ArrayList<>();
        for (RawSeries s : chosen) {
            slots.addAll(A44Parser.slotsOf(s, currency));
        }
        slots.sort(Comparator.comparing(PriceSlot::start));
        return slots;
    }

    private record Span(Instant start, Instant end, RawSeries series) {
    }

    private static List<Span> spans(List<RawSeries> series) {
        List<Span> spans = new ArrayList<>();
        for (RawSeries s : series) {
            for (RawPeriod p : s.periods()) {
                spans.add(new Span(p.start(), p.end(), s));
            }
        }
        return spans;
    }

    /** Whether the sorted, non-overlapping {@code spans} cover {@code s} without a hole. */
    private static boolean covered(Span s, List<Span> spans) {
        Instant reached = s.start();
        for (Span c : spans) {
            if (c.start().isAfter(reached)) {
                break;
            }
            if (c.end().isAfter(reached)) {
                reached = c.end();
            }
            if (!reached.isBefore(s.end())) {
                return true;
            }
        }
        return !reached.isBefore(s.end());
    }

    private static Currency currencyOf(RawSeries s) throws DocumentRefused {
        try {
            return Currency.getInstance(s.currency());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DocumentRefused(s.label() + ": currency_Unit.name '" + s.currency() + "' is not an ISO 4217 code");
        }
    }
}

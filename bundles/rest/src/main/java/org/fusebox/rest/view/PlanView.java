package org.fusebox.rest.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Money;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;

/**
 * A planning optimiser's intention over its horizon.
 *
 * @param optimiser    who planned it
 * @param computedAt   the snapshot time it was planned at
 * @param expectedCost the whole plan's expected cost, null without prices
 * @param notes        what the operator should know
 * @param lines        per EV (device + connector) or battery: planned power per slot, energy and cost
 */
public record PlanView(String optimiser, Instant computedAt, MoneyView expectedCost, List<String> notes,
        List<LineView> lines) {

    /**
     * @param device       charger or battery id
     * @param connector    the connector for an EV, null for a battery
     * @param planned      energy the plan delivers
     * @param wanted       energy asked for, null when nothing was asked
     * @param deadline     when it must be done, null when none
     * @param expectedCost the planned energy's expected cost, null without prices
     * @param targetMet    whether what was asked is delivered by the deadline
     * @param note         why not, or other remarks; empty if none
     * @param slots        planned power per slot
     */
    public record LineView(String device, Integer connector, Energy planned, Energy wanted, Instant deadline,
            MoneyView expectedCost, boolean targetMet, String note, List<SlotView> slots) {
    }

    /** @param start slot start  @param length slot length  @param power average power over the slot */
    public record SlotView(Instant start, Duration length, Power power) {
        static List<SlotView> of(List<PowerSlot> slots) {
            return slots.stream().map(s -> new SlotView(s.start(), s.length(), s.power())).toList();
        }
    }

    /** @param amount decimal amount as a string, at most four decimals  @param currency ISO 4217 code */
    public record MoneyView(String amount, String currency) {
        static MoneyView of(Money m) {
            if (m == null) {
                return null;
            }
            // costs computed from doubles carry binary noise: four decimals are more than any tariff uses
            java.math.BigDecimal amount = m.amount().scale() > 4 ? m.amount().setScale(4, java.math.RoundingMode.HALF_EVEN) : m.amount();
            return new MoneyView(amount.toPlainString(), m.currency().getCurrencyCode());
        }
    }

    /** @param source the forecaster's id  @param slots expected power per slot (positive) */
    public record ForecastView(String source, List<SlotView> slots) {
    }

    /**
     * @param start slot start  @param length slot length  @param perMegawattHour the price in force (what the site pays)
     * @param source the price feed the slot came from ("tariff" for a tariff's own price, empty when not known)
     * @param spot   the market price at the slot's start that the tariff started from, null when not known
     * @param export what the site earns per MWh exported at the slot's start, null when not known
     */
    public record PriceView(Instant start, Duration length, MoneyView perMegawattHour, String source, MoneyView spot,
            MoneyView export) {
    }

    public static PlanView of(Plan p) {
        return new PlanView(p.optimiser(), p.computedAt(), MoneyView.of(p.expectedCost()), p.notes(),
                p.lines().stream().map(PlanView::line).toList());
    }

    private static LineView line(PlanLine l) {
        return new LineView(l.deviceId(), l.connectorId(), l.planned(), l.wanted(), l.deadline(),
                MoneyView.of(l.expectedCost()), l.targetMet(), l.note(), SlotView.of(l.power()));
    }

    static Map<String, ForecastView> forecasts(Map<?, PowerForecast> forecasts) {
        Map<String, ForecastView> m = new TreeMap<>();
        forecasts.values().forEach(f -> m.put(f.kind().name(), new ForecastView(f.source(), SlotView.of(f.slots()))));
        return m;
    }

    static List<PriceView> prices(PriceCurve curve) {
        return prices(curve, PriceCurve.EMPTY, PriceCurve.EMPTY);
    }

    /** What the site pays per slot, with the spot and export prices in force at each slot's start. */
    static List<PriceView> prices(PriceCurve paid, PriceCurve spot, PriceCurve export) {
        return paid.slots().stream()
                .map(s -> new PriceView(s.start(), s.length(), MoneyView.of(s.price().perMegawattHour()), s.source(),
                        spot.at(s.start()).map(x -> MoneyView.of(x.price().perMegawattHour())).orElse(null),
                        export.at(s.start()).map(x -> MoneyView.of(x.price().perMegawattHour())).orElse(null)))
                .toList();
    }
}

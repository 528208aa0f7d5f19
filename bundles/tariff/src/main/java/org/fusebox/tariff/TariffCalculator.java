package org.fusebox.tariff;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * The tariff's arithmetic, exact in {@link BigDecimal}: per slot, import = (spot + energy charge + grid fee +
 * levies) x (1 + VAT), the charge and the fee taken from the time band in force at the slot's start on the
 * site's clock. A market slot that crosses a local hour is cut at the hour, so one slot has one band. Retail
 * slots pass through unchanged.
 */
final class TariffCalculator {

    /** The source named on slots the tariff makes without a market price. */
    static final String SOURCE = "tariff";

    private final TariffSettings s;

    TariffCalculator(TariffSettings settings) {
        this.s = settings;
    }

    SitePrices prices(Instant from, Instant to, PriceCurve market, Set<String> retailSources, ZoneId zone) {
        for (PriceSlot slot : market.slots()) {
            if (!slot.price().currency().equals(s.currency())) {
                throw new IllegalArgumentException("prices of feed " + (slot.source().isEmpty() ? "(unnamed)" : slot.source()) + " are in "
                        + slot.price().currency() + ", the tariff is in " + s.currency() + ": refused, not mixed");
            }
        }
        List<PriceSlot> imports = new ArrayList<>();
        List<PriceSlot> exports = new ArrayList<>();
        if (s.spotImport()) {
            for (PriceSlot slot : market.slots()) {
                boolean retail = retailSources.contains(slot.source());
                for (PriceSlot part : retail ? List.of(slot) : byLocalHour(slot, zone)) {
                    imports.add(retail ? part : part.withPrice(price(importAmount(part.price().perMegawattHour().amount(), part, zone))));
                }
            }
        } else {
            for (PriceSlot hour : localHours(from, to, zone)) {
                imports.add(hour.withPrice(price(importAmount(BigDecimal.ZERO, hour, zone))));
            }
        }
        switch (s.exportMode()) {
            case NONE -> {
            }
            case ZERO, FIXED -> {
                BigDecimal fixed = s.exportMode() == TariffSettings.ExportMode.ZERO ? BigDecimal.ZERO : floored(s.feedIn());
                List<PriceSlot> over = market.isEmpty() || !s.spotImport() ? imports : market.slots();
                for (PriceSlot slot : over) {
                    exports.add(slot.withPrice(price(fixed)));
                }
            }
            case SPOT -> {
                for (PriceSlot slot : market.slots()) {
                    // A retail price has fees and VAT in it: it says nothing about what exporting earns.
                    if (!retailSources.contains(slot.source())) {
                        exports.add(slot.withPrice(price(exportAmount(slot.price().perMegawattHour().amount()))));
                    }
                }
            }
        }
        return new SitePrices(market, new PriceCurve(imports), new PriceCurve(exports));
    }

    /** (spot + energy charge + grid fee + levies) x (1 + VAT), the band's values at the slot's local start. */
    BigDecimal importAmount(BigDecimal spot, PriceSlot slot, ZoneId zone) {
        ZonedDateTime local = slot.start().atZone(zone);
        BigDecimal energy = orElse(s.energyChargeBands().at(local), s.energyCharge());
        BigDecimal grid = orElse(s.gridFeeBands().at(local), s.gridFee());
        return spot.add(energy).add(grid).add(s.levies()).multiply(s.vatFactor());
    }

    /** spot x factor + offset, floored at zero when configured. */
    BigDecimal exportAmount(BigDecimal spot) {
        return floored(spot.multiply(s.exportFactor()).add(s.exportOffset()));
    }

    private BigDecimal floored(BigDecimal amount) {
        return s.floorExport() && amount.signum() < 0 ? BigDecimal.ZERO : amount;
    }

    private EnergyPrice price(BigDecimal amount) {
        return new EnergyPrice(new Money(amount, s.currency()));
    }

    private static BigDecimal orElse(BigDecimal band, BigDecimal otherwise) {
        return band != null ? band : otherwise;
    }

    /** The slot cut at every local hour it crosses (none for quarter hours and hours in whole-hour zones). */
    static List<PriceSlot> byLocalHour(PriceSlot slot, ZoneId zone) {
        Instant nextHour = slot.start().atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
        if (!nextHour.isBefore(slot.end())) {
            return List.of(slot);
        }
        List<PriceSlot> parts = new ArrayList<>();
        Instant start = slot.start();
        while (start.isBefore(slot.end())) {
            Instant end = start.atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
            if (end.isAfter(slot.end())) {
                end = slot.end();
            }
            parts.add(new PriceSlot(start, Duration.between(start, end), slot.price(), slot.source()));
            start = end;
        }
        return parts;
    }

    /** Slots of one local hour covering [from, to), the first starting at the local hour {@code from} is in. */
    private List<PriceSlot> localHours(Instant from, Instant to, ZoneId zone) {
        List<PriceSlot> hours = new ArrayList<>();
        Instant start = from.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
        EnergyPrice placeholder = price(BigDecimal.ZERO);
        while (start.isBefore(to)) {
            Instant end = start.atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
            hours.add(new PriceSlot(start, Duration.between(start, end), placeholder, SOURCE));
            start = end;
        }
        return hours;
    }
}

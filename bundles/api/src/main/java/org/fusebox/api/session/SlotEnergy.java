package org.fusebox.api.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * The energy a session drew in one price slot, with the import price in force then.
 *
 * @param start       slot start, inclusive
 * @param length      slot length
 * @param energy      metered energy drawn in the slot, never negative
 * @param price       the import price the site paid in the slot (after the tariff), or {@code null} when no
 *                    price was known: the slot's cost is then unknown, not zero
 * @param cost        {@code price} applied to {@code energy}, exact; {@code null} exactly when {@code price} is
 * @param priceSource the name of the price source of the slot, or {@code null} when not known
 * @param tariff      the name of the tariff applied to the slot, or {@code null} when none or not known
 * @since 1.0
 */
public record SlotEnergy(Instant start, Duration length, Energy energy, EnergyPrice price, Money cost,
        String priceSource, String tariff) {

    public SlotEnergy {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(energy, "energy");
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("slot length must be positive, got " + length);
        }
        if (energy.wattHours() < 0) {
            throw new IllegalArgumentException("slot energy must not be negative, got " + energy);
        }
        if ((price == null) != (cost == null)) {
            throw new IllegalArgumentException("a slot has a cost exactly when it has a price");
        }
        if (price != null && !price.currency().equals(cost.currency())) {
            throw new IllegalArgumentException("cost in " + cost.currency() + " for a price in " + price.currency());
        }
    }

    public Instant end() {
        return start.plus(length);
    }

    /** Whether the price, hence the cost, of this slot is known. */
    public boolean priced() {
        return price != null;
    }
}

package org.fusebox.api.units;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Currency;
import java.util.Objects;

/**
 * A price per megawatt-hour, the unit day-ahead markets publish in. Negative prices are real and allowed.
 *
 * @param perMegawattHour money per MWh
 */
public record EnergyPrice(Money perMegawattHour) {

    public EnergyPrice {
        Objects.requireNonNull(perMegawattHour, "perMegawattHour");
    }

    public static EnergyPrice perMegawattHour(String amount, String currencyCode) {
        return new EnergyPrice(Money.of(amount, currencyCode));
    }

    public Currency currency() {
        return perMegawattHour.currency();
    }

    /** The cost of {@code energy} at this price. */
    public Money costOf(Energy energy) {
        BigDecimal mwh = BigDecimal.valueOf(energy.wattHours()).divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64);
        return new Money(perMegawattHour.amount().multiply(mwh, MathContext.DECIMAL64), currency());
    }

    /** The price per kWh as a plain number, for optimisers that work in doubles. */
    public double perKilowattHour() {
        return perMegawattHour.amount().doubleValue() / 1000.0;
    }

    @Override
    public String toString() {
        return perMegawattHour + "/MWh";
    }
}

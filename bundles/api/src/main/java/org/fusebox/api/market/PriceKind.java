package org.fusebox.api.market;

/**
 * What a {@link PriceFeed}'s prices are, told by the service property {@value #SERVICE_PROPERTY}.
 * {@value #SPOT} (the default when the property is absent): wholesale prices, before energy charges, grid
 * fees, levies and VAT; the site's {@link Tariff} adds them. {@value #RETAIL}: what the site pays already
 * (e.g. a supplier's dynamic retail price with taxes); a tariff passes it through and adds nothing again.
 *
 * @since 1.1
 */
public final class PriceKind {

    public static final String SERVICE_PROPERTY = "fusebox.price.kind";
    public static final String SPOT = "spot";
    public static final String RETAIL = "retail";

    private PriceKind() {
    }
}

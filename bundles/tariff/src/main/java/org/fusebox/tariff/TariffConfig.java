package org.fusebox.tariff;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The site's tariff. Money amounts are decimal strings per MWh in the tariff's currency, read exactly
 * (never through a double). Time bands are "days hours amount" entries in the site's time zone, e.g.
 * {@code Mon-Fri 17-20 120.50}: days Mon..Sun as a range (Mon-Fri), a list (Sat,Sun) or {@code *}; hours
 * from-to on the local clock, 0..24, may wrap midnight (22-6). PID fusebox.tariff (etc/fusebox.tariff.cfg).
 */
@ObjectClassDefinition(name = "Fusebox tariff",
        description = "What the site pays and earns per slot: (spot + energy charge + grid fee by time band + levies) x (1 + VAT), "
                + "or a fixed / time-of-use price without spot; and a feed-in tariff. PID fusebox.tariff.")
public @interface TariffConfig {

    @AttributeDefinition(name = "Currency", description = "ISO 4217 code. Prices of a feed in another currency are refused.")
    String currency() default "EUR";

    @AttributeDefinition(name = "Import price", options = {
            @Option(label = "Spot price plus charges", value = "spot"),
            @Option(label = "Fixed or time-of-use energy price, no spot", value = "fixed") })
    String importMode() default "spot";

    @AttributeDefinition(name = "Energy charge (per MWh)",
            description = "Spot: the supplier's margin added to the spot price. Fixed: the energy price. -100000..100000.")
    String energyChargePerMwh() default "0";

    @AttributeDefinition(name = "Energy charge bands", required = false,
            description = "Time bands where another energy charge applies (time-of-use), e.g. 'Mon-Fri 7-22 310'.")
    String[] energyChargeBands() default {};

    @AttributeDefinition(name = "Grid fee (per MWh)", description = "The grid fee outside every grid fee band. -100000..100000.")
    String gridFeePerMwh() default "0";

    @AttributeDefinition(name = "Grid fee bands", required = false,
            description = "Time bands with another grid fee, e.g. German §14a EnWG module 3: '* 0-6 20.3', '* 17-21 116.6'.")
    String[] gridFeeBands() default {};

    @AttributeDefinition(name = "Levies and taxes (per MWh)", description = "Added per MWh before VAT (electricity tax, surcharges).")
    String leviesPerMwh() default "0";

    @AttributeDefinition(name = "VAT (%)", description = "Applied on top of everything imported, 0..100.")
    String vatPercent() default "0";

    @AttributeDefinition(name = "Export price", options = {
            @Option(label = "Not known: no export price", value = "none"),
            @Option(label = "Zero: export earns nothing", value = "zero"),
            @Option(label = "Fixed feed-in tariff", value = "fixed"),
            @Option(label = "Spot x factor + offset", value = "spot") })
    String exportMode() default "none";

    @AttributeDefinition(name = "Feed-in tariff (per MWh)", description = "Export mode fixed: what an exported MWh earns.")
    String feedInPerMwh() default "0";

    @AttributeDefinition(name = "Export factor", description = "Export mode spot: share of the spot price paid, 0..10.")
    String exportFactor() default "1";

    @AttributeDefinition(name = "Export offset (per MWh)", description = "Export mode spot: added after the factor (usually a negative fee).")
    String exportOffsetPerMwh() default "0";

    @AttributeDefinition(name = "Negative export prices", options = {
            @Option(label = "Passed through: exporting at a negative price costs", value = "pass"),
            @Option(label = "Floored at zero", value = "floor") })
    String negativeExport() default "pass";
}

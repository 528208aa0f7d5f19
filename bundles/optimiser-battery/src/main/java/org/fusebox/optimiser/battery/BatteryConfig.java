package org.fusebox.optimiser.battery;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fusebox battery schedule",
        description = "Plans each battery over the known prices and the PV and load forecasts, and sets the current slot's "
                + "power. Prices in the price feed's currency per MWh. PID fusebox.optimiser.battery.")
public @interface BatteryConfig {

    @AttributeDefinition(name = "Mode", options = {
            @Option(label = "Arbitrage: buy low, sell or use high", value = "arbitrage"),
            @Option(label = "Self-consumption: store PV surplus, cover the load", value = "self-consumption") })
    String mode() default "self-consumption";

    @AttributeDefinition(name = "Batteries", required = false, description = "Battery ids to plan; empty = every battery.")
    String[] batteryIds() default {};

    @AttributeDefinition(name = "Slot length (minutes)", min = "5", max = "60", description = "Planning resolution; must divide 60.")
    int slotMinutes() default 15;

    @AttributeDefinition(name = "Minimum SoC (%)", min = "0", max = "100",
            description = "Never planned below this, nor below the core's battery minimum SoC.")
    double minSocPercent() default 20;

    @AttributeDefinition(name = "Maximum SoC (%)", min = "0", max = "100",
            description = "Never planned above this, nor above the core's battery maximum SoC.")
    double maxSocPercent() default 100;

    @AttributeDefinition(name = "Charge efficiency (%)", min = "0", max = "100",
            description = "Share of the AC energy taken that is stored; 0 = square root of the battery's round-trip rating.")
    double chargeEfficiencyPercent() default 0;

    @AttributeDefinition(name = "Discharge efficiency (%)", min = "0", max = "100",
            description = "Share of the stored energy that reaches AC; 0 = square root of the battery's round-trip rating.")
    double dischargeEfficiencyPercent() default 0;

    @AttributeDefinition(name = "Degradation cost (per MWh cycled)", min = "0",
            description = "Wear of storing one MWh and taking it out again, e.g. battery price / (cycles x capacity).")
    double degradationCostPerMwh() default 50;

    @AttributeDefinition(name = "Export price", options = {
            @Option(label = "The market price (without the import markup)", value = "spot"),
            @Option(label = "A fixed feed-in tariff", value = "fixed") })
    String exportPrice() default "spot";

    @AttributeDefinition(name = "Feed-in tariff (per MWh)", description = "What an exported MWh earns when the export price is fixed.")
    double feedInPerMwh() default 0;

    @AttributeDefinition(name = "Import markup (per MWh)", min = "0",
            description = "Grid fees and taxes added to the market price for every MWh imported.")
    double importMarkupPerMwh() default 0;

    @AttributeDefinition(name = "Grid charging below (per MWh)",
            description = "Self-consumption: the battery charges from the grid only while the import price is below this.")
    double gridChargeBelowPerMwh() default 0;

    @AttributeDefinition(name = "Flat import price without prices (per MWh)", min = "0",
            description = "Self-consumption plans the next 24 h at this price when no prices are known.")
    double fallbackImportPerMwh() default 300;

    @AttributeDefinition(name = "Fallback currency", description = "Currency of the flat price, ISO 4217.")
    String fallbackCurrency() default "EUR";

    @AttributeDefinition(name = "SoC step (%)", min = "0.05", max = "5", description = "Resolution of the dynamic program.")
    double socStepPercent() default 0.5;

    @AttributeDefinition(name = "Re-plan on SoC drift (%)", min = "0", max = "20",
            description = "The plan is kept while the SoC stays this close to where it expected.")
    double replanSocPercent() default 1.0;

    @AttributeDefinition(name = "Re-plan on load drift (W)", min = "0",
            description = "The plan is kept while the measured and forecast net loads stay this close to what it used.")
    double replanPowerWatts() default 250;
}

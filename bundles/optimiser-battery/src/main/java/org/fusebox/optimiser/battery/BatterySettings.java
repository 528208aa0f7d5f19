package org.fusebox.optimiser.battery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;

/** A validated configuration; prices per kWh as the planner uses them. */
record BatterySettings(Mode mode, Set<String> batteryIds, Duration slotLength, double minSocPercent, double maxSocPercent,
        double chargeEfficiency, double dischargeEfficiency, double degradationPerKwh, boolean fixedExport, double feedInPerKwh,
        double importMarkupPerKwh, double gridChargeBelowPerKwh, double fallbackImportPerKwh, Currency fallbackCurrency,
        double socStepPercent, double replanSocPercent, double replanPowerWatts) {

    enum Mode {
        ARBITRAGE, SELF_CONSUMPTION
    }

    static final BatterySettings DEFAULTS = new BatterySettings(Mode.SELF_CONSUMPTION, Set.of(), Duration.ofMinutes(15), 20, 100,
            0, 0, 0.05, false, 0, 0, 0, 0.3, Currency.getInstance("EUR"), 0.5, 1.0, 250);

    BatterySettings {
        batteryIds = Set.copyOf(batteryIds);
    }

    /** @throws IllegalArgumentException naming every bad value */
    static BatterySettings from(BatteryConfig c) {
        List<String> errors = new ArrayList<>();
        Mode mode = switch (String.valueOf(c.mode()).trim()) {
            case "arbitrage" -> Mode.ARBITRAGE;
            case "self-consumption" -> Mode.SELF_CONSUMPTION;
            default -> {
                errors.add("mode must be 'arbitrage' or 'self-consumption', got '" + c.mode() + "'");
                yield Mode.SELF_CONSUMPTION;
            }
        };
        boolean fixed = switch (String.valueOf(c.exportPrice()).trim()) {
            case "spot" -> false;
            case "fixed" -> true;
            default -> {
                errors.add("exportPrice must be 'spot' or 'fixed', got '" + c.exportPrice() + "'");
                yield false;
            }
        };
        List<String> ids = new ArrayList<>();
        for (String id : c.batteryIds() == null ? new String[0] : c.batteryIds()) {
            if (!id.isBlank()) {
                ids.add(id.trim());
            }
        }
        int slot = c.slotMinutes();
        if (slot < 5 || slot > 60 || 60 % slot != 0) {
            errors.add("slotMinutes must divide 60 and be within 5..60, got " + slot);
        }
        within(errors, "minSocPercent", c.minSocPercent(), 0, 100);
        within(errors, "maxSocPercent", c.maxSocPercent(), 0, 100);
        if (!(c.minSocPercent() < c.maxSocPercent())) {
            errors.add("minSocPercent (" + c.minSocPercent() + ") must be below maxSocPercent (" + c.maxSocPercent() + ")");
        }
        within(errors, "chargeEfficiencyPercent", c.chargeEfficiencyPercent(), 0, 100);
        within(errors, "dischargeEfficiencyPercent", c.dischargeEfficiencyPercent(), 0, 100);
        within(errors, "degradationCostPerMwh", c.degradationCostPerMwh(), 0, 10_000);
        within(errors, "feedInPerMwh", c.feedInPerMwh(), -10_000, 10_000);
        within(errors, "importMarkupPerMwh", c.importMarkupPerMwh(), 0, 10_000);
        within(errors, "gridChargeBelowPerMwh", c.gridChargeBelowPerMwh(), -10_000, 10_000);
        within(errors, "fallbackImportPerMwh", c.fallbackImportPerMwh(), 0, 10_000);
        within(errors, "socStepPercent", c.socStepPercent(), 0.05, 5);
        within(errors, "replanSocPercent", c.replanSocPercent(), 0, 20);
        within(errors, "replanPowerWatts", c.replanPowerWatts(), 0, 1_000_000);
        Currency currency = Currency.getInstance("EUR");
        try {
            currency = Currency.getInstance(String.valueOf(c.fallbackCurrency()).trim());
        } catch (IllegalArgumentException e) {
            errors.add("fallbackCurrency '" + c.fallbackCurrency() + "' is not an ISO 4217 code");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new BatterySettings(mode, Set.copyOf(ids), Duration.ofMinutes(slot), c.minSocPercent(), c.maxSocPercent(),
                c.chargeEfficiencyPercent() / 100, c.dischargeEfficiencyPercent() / 100, c.degradationCostPerMwh() / 1000, fixed,
                c.feedInPerMwh() / 1000, c.importMarkupPerMwh() / 1000, c.gridChargeBelowPerMwh() / 1000,
                c.fallbackImportPerMwh() / 1000, currency, c.socStepPercent(), c.replanSocPercent(), c.replanPowerWatts());
    }

    private static void within(List<String> errors, String key, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            errors.add(key + " must be within " + fmt(min) + ".." + fmt(max) + ", got " + v);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    boolean plans(String batteryId) {
        return batteryIds.isEmpty() || batteryIds.contains(batteryId);
    }
}

package org.fusebox.tariff;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * A validated tariff: built only from a configuration that passes every check, so a half-valid tariff is
 * never in force. Amounts are per MWh in {@link #currency}, exact.
 */
record TariffSettings(Currency currency, boolean spotImport, BigDecimal energyCharge, TimeBands energyChargeBands,
        BigDecimal gridFee, TimeBands gridFeeBands, BigDecimal levies, BigDecimal vatPercent, ExportMode exportMode,
        BigDecimal feedIn, BigDecimal exportFactor, BigDecimal exportOffset, boolean floorExport) {

    enum ExportMode {
        NONE, ZERO, FIXED, SPOT
    }

    /** No amount per MWh is ever this large; a bigger one is a typo (kWh taken for MWh is still let through). */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("100000");
    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final BigDecimal MAX_FACTOR = BigDecimal.TEN;

    /** 1 + VAT / 100, exact. */
    BigDecimal vatFactor() {
        return BigDecimal.ONE.add(vatPercent.movePointLeft(2));
    }

    static TariffSettings from(TariffConfig c) {
        List<String> errors = new ArrayList<>();
        Currency currency = null;
        String code = c.currency() == null ? "" : c.currency().trim();
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            errors.add("currency must be an ISO 4217 code such as EUR, got '" + code + "'");
        }
        boolean spot = switch (trim(c.importMode())) {
            case "spot" -> true;
            case "fixed" -> false;
            default -> {
                errors.add("importMode must be 'spot' or 'fixed', got '" + c.importMode() + "'");
                yield true;
            }
        };
        BigDecimal energy = amount("energyChargePerMwh", c.energyChargePerMwh(), errors);
        TimeBands energyBands = TimeBands.parse("energyChargeBands", c.energyChargeBands(), errors);
        BigDecimal grid = amount("gridFeePerMwh", c.gridFeePerMwh(), errors);
        TimeBands gridBands = TimeBands.parse("gridFeeBands", c.gridFeeBands(), errors);
        BigDecimal levies = amount("leviesPerMwh", c.leviesPerMwh(), errors);
        BigDecimal vat = decimal("vatPercent", c.vatPercent(), errors);
        if (vat != null && (vat.signum() < 0 || vat.compareTo(HUNDRED) > 0)) {
            errors.add("vatPercent must be within 0..100, got " + vat.toPlainString());
        }
        ExportMode export = switch (trim(c.exportMode())) {
            case "none" -> ExportMode.NONE;
            case "zero" -> ExportMode.ZERO;
            case "fixed" -> ExportMode.FIXED;
            case "spot" -> ExportMode.SPOT;
            default -> {
                errors.add("exportMode must be 'none', 'zero', 'fixed' or 'spot', got '" + c.exportMode() + "'");
                yield ExportMode.NONE;
            }
        };
        BigDecimal feedIn = amount("feedInPerMwh", c.feedInPerMwh(), errors);
        BigDecimal factor = decimal("exportFactor", c.exportFactor(), errors);
        if (factor != null && (factor.signum() < 0 || factor.compareTo(MAX_FACTOR) > 0)) {
            errors.add("exportFactor must be within 0..10, got " + factor.toPlainString());
        }
        BigDecimal offset = amount("exportOffsetPerMwh", c.exportOffsetPerMwh(), errors);
        boolean floor = switch (trim(c.negativeExport())) {
            case "pass" -> false;
            case "floor" -> true;
            default -> {
                errors.add("negativeExport must be 'pass' or 'floor', got '" + c.negativeExport() + "'");
                yield false;
            }
        };
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new TariffSettings(currency, spot, energy, energyBands, grid, gridBands, levies, vat, export, feedIn, factor, offset, floor);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    /** An amount per MWh within ±{@link #MAX_AMOUNT}, or null after recording why not. */
    static BigDecimal amount(String what, String raw, List<String> errors) {
        BigDecimal d = decimal(what, raw, errors);
        if (d != null && d.abs().compareTo(MAX_AMOUNT) > 0) {
            errors.add(what + " must be within -100000..100000 per MWh, got " + d.toPlainString());
            return null;
        }
        return d;
    }

    private static BigDecimal decimal(String what, String raw, List<String> errors) {
        String s = trim(raw);
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            errors.add(what + " must be a decimal number such as 12.5, got '" + raw + "'");
            return null;
        }
    }
}

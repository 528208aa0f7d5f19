package org.fusebox.optimiser.battery;

/**
 * The battery as the planner sees it, energies in kWh on the DC side (what the SoC measures).
 *
 * @param capacityKwh         usable capacity, 0..100 % SoC
 * @param chargeEfficiency    share of the AC energy taken that ends up stored, 0..1
 * @param dischargeEfficiency share of the stored energy taken out that reaches AC, 0..1
 * @param minKwh              lowest energy the plan may reach (from the minimum SoC)
 * @param maxKwh              highest energy the plan may reach (from the maximum SoC)
 * @param stepKwh             the SoC grid of the dynamic program
 * @param degradationPerKwh   the cost of one kWh cycled (stored and later taken out), charged half on the way
 *                            in and half on the way out, on the stored energy
 * @param terminalValuePerKwh what a kWh still stored at the end of the horizon is worth (the planner would
 *                            otherwise empty the battery just before the prices run out)
 */
record BatteryModel(double capacityKwh, double chargeEfficiency, double dischargeEfficiency, double minKwh, double maxKwh,
        double stepKwh, double degradationPerKwh, double terminalValuePerKwh) {

    BatteryModel {
        if (!(capacityKwh > 0) || !(stepKwh > 0) || !(chargeEfficiency > 0 && chargeEfficiency <= 1)
                || !(dischargeEfficiency > 0 && dischargeEfficiency <= 1) || !(minKwh >= 0) || !(maxKwh <= capacityKwh + 1e-9)
                || !(minKwh < maxKwh) || !(degradationPerKwh >= 0) || !Double.isFinite(terminalValuePerKwh)) {
            throw new IllegalArgumentException("invalid battery model " + this);
        }
    }

    /** The AC power that changes the stored energy by {@code deltaKwh} in {@code hours}. */
    double acPower(double deltaKwh, double hours) {
        return deltaKwh > 0 ? deltaKwh / chargeEfficiency / hours : deltaKwh * dischargeEfficiency / hours;
    }

    /** The stored-energy change {@code acKw} held for {@code hours} makes. */
    double storedChange(double acKw, double hours) {
        return acKw > 0 ? acKw * chargeEfficiency * hours : acKw / dischargeEfficiency * hours;
    }

    double degradation(double deltaKwh) {
        return degradationPerKwh / 2 * Math.abs(deltaKwh);
    }
}

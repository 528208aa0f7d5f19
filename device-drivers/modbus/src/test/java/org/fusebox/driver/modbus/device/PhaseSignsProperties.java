package org.fusebox.driver.modbus.device;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * A meter without per-phase power or power factor: the totals sign the phase currents only when they prove
 * every phase's direction, so an importing phase is never shown as exporting (which would hide load from
 * the fuse protection).
 */
class PhaseSignsProperties {

    @Property(tries = 2000)
    void anImportingPhaseIsNeverShownAsExporting(
            @ForAll @DoubleRange(min = 0, max = 63) double a1, @ForAll @DoubleRange(min = 0, max = 63) double a2,
            @ForAll @DoubleRange(min = 0, max = 63) double a3,
            @ForAll @DoubleRange(min = -1, max = 1) double pf1, @ForAll @DoubleRange(min = -1, max = 1) double pf2,
            @ForAll @DoubleRange(min = -1, max = 1) double pf3, @ForAll @DoubleRange(min = 207, max = 253) double v) {
        double[] amps = {a1, a2, a3};
        double[] pf = {pf1, pf2, pf3};
        double total = 0;
        boolean someImport = false;
        for (int i = 0; i < 3; i++) {
            double p = v * amps[i] * pf[i]; // |p| <= V x I
            total += p;
            someImport |= p > 0;
        }
        int sign = PhaseSigns.fromTotal(total, amps, new double[] {v, v, v});
        if (someImport) {
            assertThat(sign).isEqualTo(1);
        }
    }

    @Test
    void everyPhaseExportingAtAGoodPowerFactorIsShownAsExport() {
        double[] amps = {10, 10.87, 11.4};
        double[] volts = {230, 230, 230};
        double total = -(10 + 10.87 + 11.4) * 230 * 0.98;
        assertThat(PhaseSigns.fromTotal(total, amps, volts)).isEqualTo(-1);
    }

    @Test
    void theCaseOfTheIssueStaysImportWhenTheTotalsCannotTell() {
        // exporting 2,432 W in total with 10.87 and 11.40 A on L2/L3: L1 may be importing, so no phase is
        // shown as export on the totals' word alone
        double[] amps = {12, 10.87, 11.4};
        assertThat(PhaseSigns.fromTotal(-2432, amps, new double[] {230, 230, 230})).isEqualTo(1);
    }
}

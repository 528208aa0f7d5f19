package org.fusebox.driver.modbus.device;

/**
 * The direction of each phase current when a meter gives only magnitudes and a total power. Each phase's
 * active power is at most its apparent power V×I, so when the total export exceeds what all phases but the
 * smallest could carry, no phase can be importing: every phase exports. The same holds for import. In
 * between the totals cannot tell; the phases are then taken as importing, which overstates the load on the
 * fuse and never understates it.
 */
final class PhaseSigns {

    private PhaseSigns() {
    }

    /**
     * @param totalWatts total active power, import positive
     * @param amps       phase current magnitudes
     * @param volts      phase voltages
     * @return -1 when every phase must be exporting, +1 otherwise
     */
    static int fromTotal(double totalWatts, double[] amps, double[] volts) {
        if (!(totalWatts < 0)) {
            return 1;
        }
        double apparent = 0;
        double smallest = Double.MAX_VALUE;
        for (int i = 0; i < amps.length; i++) {
            double s = Math.abs(amps[i] * volts[i]);
            apparent += s;
            smallest = Math.min(smallest, s);
        }
        return -totalWatts > apparent - smallest ? -1 : 1;
    }
}

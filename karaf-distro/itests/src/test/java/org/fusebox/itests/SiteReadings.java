package org.fusebox.itests;

import org.fusebox.api.control.CycleReport;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;

/**
 * What tests read off a cycle's snapshot. Apart from {@link FuseboxKarafTestSupport} on purpose: that class is loaded
 * in containers without the Fusebox api too (the platform-only feature tests), so it must not name api types.
 */
final class SiteReadings {

    private SiteReadings() {
    }

    /** The grid meter's power in a cycle, import positive; 0 without a reading. */
    static double importWatts(CycleReport r) {
        SiteSnapshot s = r.snapshot();
        return s.grid() == null || s.grid().reading() == null ? 0 : s.grid().reading().power().watts();
    }

    /** The core's estimate of the load it does not control in a cycle, in W over all phases. */
    static double uncontrolledWatts(CycleReport r) {
        PhaseCurrents u = PhaseBudget.uncontrolled(r.snapshot()).orElse(PhaseCurrents.ZERO);
        double amps = 0;
        for (Phase p : Phase.values()) {
            amps += u.on(p).amps();
        }
        return amps * r.snapshot().limits().nominalVoltage().volts();
    }
}

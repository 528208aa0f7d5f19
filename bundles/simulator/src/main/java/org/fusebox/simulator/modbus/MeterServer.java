package org.fusebox.simulator.modbus;

import org.fusebox.api.units.Phase;
import org.fusebox.simulator.model.GridConnection;
import org.fusebox.simulator.model.SiteModel;

/** The grid meter as SunSpec common model 1 and three-phase wye meter model 203 (integer + scale factors). */
public final class MeterServer extends SunSpecServer {

    static final int METER = 203;

    private final int ampsSf;
    private final int wattsSf;

    public MeterServer(String deviceId, double fuseLimitAmps, double volts) {
        super(deviceId);
        use(new SunSpecRegisters.Builder()
                .common("Fusebox", "Simulated grid meter", "1.0", deviceId, UNIT_ID)
                .model(METER, 105)
                .build(UNIT_ID));
        // room for three times the fuse, so an overload is measured rather than clipped
        double maxAmps = Math.max(100, 3 * fuseLimitAmps);
        ampsSf = scaleFactorFor(maxAmps, true);
        wattsSf = scaleFactorFor(3 * maxAmps * volts, true);
        SunSpecRegisters r = registers();
        r.load(() -> {
            // everything the simulation does not measure reads "not implemented"
            for (int o = 0; o <= 35; o++) {
                r.set(METER, o, SunSpecRegisters.NOT_IMPLEMENTED_INT16);
            }
            for (int o = 36; o <= 101; o++) {
                r.set(METER, o, 0); // acc32: 0 is "not accumulated"
            }
            r.set(METER, 102, SunSpecRegisters.NOT_IMPLEMENTED_INT16);
            r.set(METER, 103, 0, 0);
            r.set(METER, 4, ampsSf);
            r.set(METER, 13, V_SF);
            r.set(METER, 15, HZ_SF);
            r.set(METER, 20, wattsSf);
            r.set(METER, 52, 0);
        });
    }

    @Override
    public void update(SiteModel model, long realNanos) {
        GridConnection g = model.grid();
        SunSpecRegisters r = registers();
        double volts = g.volts();
        r.load(() -> {
            double total = 0;
            int i = 0;
            for (Phase p : Phase.values()) {
                double amps = g.amps(p);
                total += Math.abs(amps);
                // a meter reports current magnitudes; the phase power carries the direction
                r.setInt16(METER, 1 + i, raw(Math.abs(amps), ampsSf));
                r.setInt16(METER, 6 + i, raw(volts, V_SF));
                r.setInt16(METER, 17 + i, raw(amps * volts, wattsSf));
                i++;
            }
            r.setInt16(METER, 0, raw(total, ampsSf));
            r.setInt16(METER, 5, raw(volts, V_SF));
            r.setInt16(METER, 14, raw(g.hz(), HZ_SF));
            r.setInt16(METER, 16, raw(g.watts(), wattsSf));
            r.setUint32(METER, 36, Math.round(g.exportedWattHours()));
            r.setUint32(METER, 44, Math.round(g.importedWattHours()));
        });
    }
}

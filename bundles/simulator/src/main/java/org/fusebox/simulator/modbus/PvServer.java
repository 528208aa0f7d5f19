package org.fusebox.simulator.modbus;

import org.fusebox.simulator.model.SiteModel;
import org.fusebox.simulator.model.SolarPlant;

/**
 * The PV inverter as SunSpec common model 1, three-phase inverter model 103 and immediate controls model
 * 123, whose WMaxLimPct (percent of the rated power, tenths) and WMaxLim_Ena are writable: enabled, they
 * cap the output; disabled, the inverter runs free.
 */
public final class PvServer extends SunSpecServer {

    static final int INVERTER = 103;
    static final int CONTROLS = 123;
    static final int LIMIT_PCT = 3;
    static final int LIMIT_ENABLE = 7;
    static final int LIMIT_SF = -1;

    private final double peakWatts;
    private final int ampsSf;
    private final int wattsSf;

    public PvServer(String deviceId, double peakWatts, double volts, CommandSink commands) {
        super(deviceId);
        this.peakWatts = peakWatts;
        use(new SunSpecRegisters.Builder()
                .common("Fusebox", "Simulated PV inverter", "1.0", deviceId, UNIT_ID)
                .model(INVERTER, 50)
                .model(CONTROLS, 24)
                .writable(CONTROLS, offset -> limitWritten(commands), LIMIT_PCT, LIMIT_ENABLE)
                .build(UNIT_ID));
        ampsSf = scaleFactorFor(peakWatts / 3 / volts * 1.2, false);
        wattsSf = scaleFactorFor(peakWatts * 1.2, true);
        SunSpecRegisters r = registers();
        r.load(() -> {
            fill(r, INVERTER, SunSpecRegisters.NOT_IMPLEMENTED_INT16, 4, 11, 13, 15, 17, 19, 21, 24, 26, 28, 30,
                    35, 12, 16, 18, 20, 29, 31, 32, 33, 34);
            r.set(INVERTER, 22, 0, 0);
            for (int o = 38; o < 50; o++) {
                r.set(INVERTER, o, 0); // no events
            }
            r.set(INVERTER, 4, ampsSf);
            r.set(INVERTER, 11, V_SF);
            r.set(INVERTER, 13, wattsSf);
            r.set(INVERTER, 15, HZ_SF);
            r.set(INVERTER, 24, 0);
            fill(r, CONTROLS, SunSpecRegisters.NOT_IMPLEMENTED_INT16, 8, 13, 14, 15, 22, 23);
            r.set(CONTROLS, 2, 1); // connected
            r.set(CONTROLS, LIMIT_PCT, (int) raw(100, LIMIT_SF));
            r.set(CONTROLS, LIMIT_ENABLE, 0);
            r.set(CONTROLS, 21, LIMIT_SF);
        });
    }

    private void limitWritten(CommandSink commands) {
        SunSpecRegisters r = registers();
        int pct = r.get(CONTROLS, LIMIT_PCT);
        boolean enabled = r.get(CONTROLS, LIMIT_ENABLE) == 1;
        double cap = enabled && pct != SunSpecRegisters.NOT_IMPLEMENTED_UINT16
                ? Math.min(peakWatts, scaled(pct, LIMIT_SF) / 100 * peakWatts) : peakWatts;
        commands.submit(deviceId(), model -> model.pv().ifPresent(pv -> pv.limitOutput(cap)));
    }

    @Override
    public void update(SiteModel model, long realNanos) {
        model.pv().ifPresent((SolarPlant pv) -> {
            SunSpecRegisters r = registers();
            double volts = model.grid().volts();
            double perPhaseAmps = pv.watts() / 3 / volts;
            r.load(() -> {
                r.setUint16(INVERTER, 0, raw(3 * perPhaseAmps, ampsSf));
                for (int i = 0; i < 3; i++) {
                    r.setUint16(INVERTER, 1 + i, raw(perPhaseAmps, ampsSf));
                    r.setUint16(INVERTER, 8 + i, raw(volts, V_SF));
                }
                r.setInt16(INVERTER, 12, raw(pv.watts(), wattsSf));
                r.setUint16(INVERTER, 14, raw(50, HZ_SF));
                r.setUint32(INVERTER, 22, Math.round(pv.producedWattHours()));
                r.set(INVERTER, 36, pv.watts() > 0 ? 4 : 2); // MPPT, or SLEEPING at night
            });
        });
    }
}

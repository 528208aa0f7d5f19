package org.fusebox.simulator.modbus;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.fusebox.simulator.model.SiteModel;
import org.fusebox.simulator.model.StorageBattery;

/**
 * The battery as SunSpec common model 1, basic storage controls model 124 and battery base model 802.
 *
 * <p>Control, as model 124 defines it: StorCtl_Mod bit 0 with InWRte charges at that percent of WChaMax,
 * bit 1 with OutWRte discharges at that percent (of WChaMax too: 124 carries no discharge reference);
 * anything else holds at 0 W. Model 802's W is the battery's power with discharging positive (SunSpec
 * leaves its sign open; this follows the inverter convention, power out of the device positive). When the
 * watchdog drops the battery to 0 W for lack of commands, the rates read back as 0 and the mode as hold,
 * as a device reverting after InOutWRte_RvrtTms would.
 */
public final class BatteryServer extends SunSpecServer {

    static final int STORAGE = 124;
    static final int BATTERY = 802;
    static final int MODE = 3;
    static final int OUT_RATE = 10;
    static final int IN_RATE = 11;
    static final int RATE_SF = -2;
    static final int SOC_SF = -1;

    private final double maxChargeWatts;
    private final long failsafeNanos;
    private final LongSupplier realNanos;
    private final int wChaMaxSf;
    private final int wattsSf;
    private volatile long lastCommandNanos;
    private volatile boolean commanded;

    public BatteryServer(String deviceId, StorageBattery battery, Duration failsafeTimeout, LongSupplier realNanos,
            CommandSink commands) {
        super(deviceId);
        this.maxChargeWatts = battery.maxChargeWatts();
        this.failsafeNanos = failsafeTimeout.toNanos();
        this.realNanos = realNanos;
        use(new SunSpecRegisters.Builder()
                .common("Fusebox", "Simulated battery", "1.0", deviceId, UNIT_ID)
                .model(STORAGE, 24)
                .model(BATTERY, 62)
                .writable(STORAGE, offset -> rateWritten(commands), MODE, OUT_RATE, IN_RATE)
                .build(UNIT_ID));
        double maxPower = Math.max(battery.maxChargeWatts(), battery.maxDischargeWatts());
        wChaMaxSf = scaleFactorFor(maxPower, false);
        wattsSf = scaleFactorFor(maxPower * 1.2, true);
        int whSf = scaleFactorFor(battery.capacityWattHours(), false);
        SunSpecRegisters r = registers();
        r.load(() -> {
            fill(r, STORAGE, SunSpecRegisters.NOT_IMPLEMENTED_INT16, 17, 18, 19, 21, 22);
            r.setUint16(STORAGE, 0, raw(battery.maxChargeWatts(), wChaMaxSf));
            r.set(STORAGE, 16, wChaMaxSf);
            r.set(STORAGE, MODE, 0);
            r.set(STORAGE, OUT_RATE, 0, 0);
            r.set(STORAGE, 13, (int) Math.min(0xFFFE, failsafeTimeout.toSeconds())); // InOutWRte_RvrtTms
            r.set(STORAGE, 20, SOC_SF);
            r.set(STORAGE, 23, RATE_SF);

            fill(r, BATTERY, SunSpecRegisters.NOT_IMPLEMENTED_INT16, 42, 47, 50, 53, 55, 56, 57, 58, 59, 60);
            r.setUint16(BATTERY, 1, raw(battery.capacityWattHours(), whSf));
            r.set(BATTERY, 51, whSf);
            r.setUint16(BATTERY, 2, raw(battery.maxChargeWatts(), wChaMaxSf));
            r.setUint16(BATTERY, 3, raw(battery.maxDischargeWatts(), wChaMaxSf));
            r.set(BATTERY, 52, wChaMaxSf);
            r.setUint16(BATTERY, 5, raw(100, SOC_SF));
            r.setUint16(BATTERY, 6, 0);
            r.set(BATTERY, 54, SOC_SF);
            r.set(BATTERY, 15, 0); // LocRemCtl: remote
            r.set(BATTERY, 19, 4); // lithium ion
            r.set(BATTERY, 20, 3); // connected
            for (int o = 24; o < 32; o++) {
                r.set(BATTERY, o, 0); // no events
            }
            r.set(BATTERY, 61, wattsSf);
        });
    }

    /** The power the rate registers ask for now, charging positive. */
    double requestedWatts() {
        SunSpecRegisters r = registers();
        int mode = r.get(STORAGE, MODE);
        double in = scaled((short) r.get(STORAGE, IN_RATE), RATE_SF);
        double out = scaled((short) r.get(STORAGE, OUT_RATE), RATE_SF);
        if ((mode & 1) != 0 && in > 0) {
            return in / 100 * maxChargeWatts;
        }
        if ((mode & 2) != 0 && out > 0) {
            return -out / 100 * maxChargeWatts;
        }
        return 0;
    }

    private void rateWritten(CommandSink commands) {
        double watts = requestedWatts();
        lastCommandNanos = realNanos.getAsLong();
        commanded = true;
        commands.submit(deviceId(), model -> model.battery().ifPresent(b -> b.setPower(watts)));
    }

    @Override
    public void update(SiteModel model, long now) {
        model.battery().ifPresent(b -> {
            SunSpecRegisters r = registers();
            int chargeState = b.socPercent() >= 100 ? 5 : b.socPercent() <= 0 ? 2
                    : b.watts() > 0 ? 4 : b.watts() < 0 ? 3 : 6;
            boolean reverted = commanded && now - lastCommandNanos > failsafeNanos;
            r.load(() -> {
                r.setUint16(STORAGE, 6, raw(b.socPercent(), SOC_SF));
                r.set(STORAGE, 9, chargeState);
                r.setUint16(BATTERY, 9, raw(b.socPercent(), SOC_SF));
                r.set(BATTERY, 14, chargeState);
                r.setInt16(BATTERY, 45, raw(-b.watts(), wattsSf));
                r.set(BATTERY, 16, (int) (model.now().getEpochSecond() % 0xFFFF)); // heartbeat
                if (reverted) {
                    r.set(STORAGE, MODE, 0);
                    r.set(STORAGE, OUT_RATE, 0, 0);
                }
            });
            if (reverted) {
                commanded = false;
            }
        });
    }
}

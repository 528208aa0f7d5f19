package org.fusebox.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.PvState;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/** Builds site snapshots for tests. The grid reading is derived from an uncontrolled load plus what devices draw. */
public final class TestSites {

    public static final Instant T0 = Instant.parse("2026-01-15T18:00:00Z");

    private final List<ChargerState> chargers = new ArrayList<>();
    private final List<BatteryState> batteries = new ArrayList<>();
    private final List<PvState> pv = new ArrayList<>();
    private PhaseCurrents uncontrolled = PhaseCurrents.ZERO;
    private SiteLimits limits = limits(40, 2);

    /** Replaces the default limits (40 A fuse, 2 A margin, three phases, 230 V, SoC 20..100 %, 1 s period). */
    public TestSites limits(SiteLimits limits) {
        this.limits = limits;
        return this;
    }

    /** Three-phase 230 V limits with the given fuse and margin. */
    public static SiteLimits limits(double fuse, double margin) {
        return new SiteLimits(Current.ofAmps(fuse), Current.ofAmps(margin), 3, Voltage.NOMINAL_230, Percent.of(20),
                Percent.of(100), Duration.ofSeconds(1));
    }

    /** Adds a one-connector charger (min 6 A, failsafe 6 A) drawing {@code drawing} A on each of its phases. */
    public TestSites charger(String id, List<Phase> phases, double max, ConnectorState state, double drawing) {
        return charger(id, phases, max, state, drawing, drawing, null);
    }

    /** Adds a one-connector charger with the limit it currently applies and its EV session (may be null). */
    public TestSites charger(String id, List<Phase> phases, double max, ConnectorState state, double drawing, double limitNow,
            org.fusebox.api.device.EvSession session) {
        ConnectorInfo info = new ConnectorInfo(1, phases, Current.ofAmps(6), Current.ofAmps(max), Current.ofAmps(6));
        PhaseCurrents draw = PhaseBudget.connectorDraw(info, Current.ofAmps(drawing));
        ConnectorReading r = new ConnectorReading(1, state, Power.ofWatts(drawing * 230 * phases.size()), draw,
                Current.ofAmps(limitNow), Energy.ZERO, session);
        chargers.add(new ChargerState(id, id, DeviceStatus.online(T0), List.of(info), new ChargerReading(T0, List.of(r))));
        return this;
    }

    /** Adds a 20 kWh, 10 kW three-phase battery. */
    public TestSites battery(String id, double socPercent, double powerWatts) {
        BatteryRatings ratings = new BatteryRatings(Energy.ofKilowattHours(20), Power.ofKilowatts(10), Power.ofKilowatts(10),
                Percent.of(90), 3);
        batteries.add(new BatteryState(id, id, DeviceStatus.online(T0), ratings,
                new BatteryReading(T0, Power.ofWatts(powerWatts), Percent.of(socPercent), Power.ofWatts(powerWatts))));
        return this;
    }

    /**
     * Adds a curtailable PV inverter on every phase making {@code producingWatts} under a cap of {@code capWatts}
     * (its rating when none): the grid reading carries its output as negative current, on top of the uncontrolled load.
     */
    public TestSites pv(String id, double ratedWatts, double producingWatts, double capWatts) {
        pv.add(new PvState(id, id, DeviceStatus.online(T0), Power.ofWatts(ratedWatts), true,
                new PvReading(T0, Power.ofWatts(producingWatts), Power.ofWatts(capWatts), Energy.ZERO)));
        return this;
    }

    /** The current per phase that no controllable device accounts for (load less any PV not added by {@link #pv}). */
    public TestSites uncontrolled(double l1, double l2, double l3) {
        uncontrolled = PhaseCurrents.ofAmps(l1, l2, l3);
        return this;
    }

    public SiteSnapshot build() {
        PhaseCurrents grid = uncontrolled;
        for (ChargerState c : chargers) {
            for (ConnectorReading r : c.reading().connectors()) {
                grid = grid.plus(r.currents());
            }
        }
        for (BatteryState b : batteries) {
            grid = grid.plus(PhaseBudget.batteryDraw(b.ratings(), b.reading().power(), limits.nominalVoltage()));
        }
        for (PvState p : pv) {
            Current out = p.reading().power().perPhaseCurrent(limits.nominalVoltage(), limits.phases());
            grid = grid.minus(limits.phases() == 1 ? PhaseCurrents.ZERO.with(Phase.L1, out) : PhaseCurrents.uniform(out));
        }
        MeterReading meter = new MeterReading(T0, Power.ofWatts((grid.l1().amps() + grid.l2().amps() + grid.l3().amps()) * 230),
                grid, Voltage.NOMINAL_230, Energy.ZERO, Energy.ZERO);
        SiteSnapshot.Builder b = SiteSnapshot.builder(limits).timestamp(T0)
                .grid(new GridState("grid", "grid", DeviceStatus.online(T0), meter));
        chargers.forEach(b::charger);
        batteries.forEach(b::battery);
        pv.forEach(b::pv);
        return b.build();
    }

    public static final List<Phase> THREE = List.of(Phase.L1, Phase.L2, Phase.L3);
}

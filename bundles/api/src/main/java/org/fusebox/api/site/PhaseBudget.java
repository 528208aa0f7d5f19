package org.fusebox.api.site;

import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/**
 * Per-phase current arithmetic shared by the SafetyGuard and every optimiser that plans against the fuse,
 * so that all of them count the same way.
 *
 * <p>The rule is conservative: a connector is counted at its full limit on each of its phases (an EV may
 * start drawing it before the next cycle), battery charging at its setpoint, and battery discharging only
 * up to what the battery is measured to deliver now (a battery that fails to discharge must not let the
 * fuse blow).
 */
public final class PhaseBudget {

    private PhaseBudget() {
    }

    /** What a connector may draw at {@code limit}: the limit on each phase it uses. */
    public static PhaseCurrents connectorDraw(ConnectorInfo connector, Current limit) {
        PhaseCurrents draw = PhaseCurrents.ZERO;
        for (Phase p : connector.phases()) {
            draw = draw.with(p, limit);
        }
        return draw;
    }

    /** The current a battery draws at {@code power} (negative when discharging); single-phase units sit on L1. */
    public static PhaseCurrents batteryDraw(BatteryRatings ratings, Power power, Voltage voltage) {
        Current perPhase = power.perPhaseCurrent(voltage, ratings.phases());
        return ratings.phases() == 1 ? PhaseCurrents.ZERO.with(Phase.L1, perPhase) : PhaseCurrents.uniform(perPhase);
    }

    /**
     * The current on each phase that nothing controllable accounts for: the grid meter's reading less what
     * chargers and batteries are measured to draw. Empty when the grid meter has no fresh reading.
     */
    public static Optional<PhaseCurrents> uncontrolled(SiteSnapshot site) {
        if (site.grid() == null || site.grid().reading() == null) {
            return Optional.empty();
        }
        PhaseCurrents rest = site.grid().reading().currents();
        for (ChargerState charger : site.chargers()) {
            if (charger.reading() == null) {
                continue;
            }
            for (ConnectorReading c : charger.reading().connectors()) {
                rest = rest.minus(c.currents());
            }
        }
        Voltage v = site.limits().nominalVoltage();
        for (BatteryState battery : site.batteries()) {
            if (battery.reading() != null) {
                rest = rest.minus(batteryDraw(battery.ratings(), battery.reading().power(), v));
            }
        }
        return Optional.of(rest);
    }

    /**
     * The current each phase would carry if {@code setpoints} were applied: the uncontrolled current plus
     * every controllable device counted by the conservative rule above. A connector or battery without a
     * setpoint is counted at what it is measured to draw now. Empty when there is no fresh grid reading.
     */
    public static Optional<PhaseCurrents> planned(SiteSnapshot site, Setpoints setpoints) {
        Optional<PhaseCurrents> base = uncontrolled(site);
        if (base.isEmpty()) {
            return base;
        }
        PhaseCurrents total = base.get();
        for (ChargerState charger : site.chargers()) {
            for (ConnectorInfo info : charger.connectors()) {
                ConnectorRef ref = new ConnectorRef(charger.id(), info.connectorId());
                Optional<Current> limit = setpoints.chargerLimit(ref);
                if (limit.isPresent()) {
                    total = total.plus(connectorDraw(info, limit.get()));
                } else {
                    total = total.plus(charger.connectorReading(info.connectorId())
                            .map(ConnectorReading::currents).orElse(PhaseCurrents.ZERO));
                }
            }
        }
        Voltage v = site.limits().nominalVoltage();
        for (BatteryState battery : site.batteries()) {
            Power measured = battery.reading() == null ? Power.ZERO : battery.reading().power();
            Power asked = setpoints.batteryPower(battery.id()).orElse(measured);
            total = total.plus(batteryDraw(battery.ratings(), creditedBatteryPower(asked, battery.reading()), v));
        }
        return Optional.of(total);
    }

    /** Charging counts in full; discharging only up to the discharge measured now. */
    public static Power creditedBatteryPower(Power asked, BatteryReading reading) {
        if (!asked.isNegative()) {
            return asked;
        }
        Power measured = reading == null ? Power.ZERO : reading.power();
        Power deliverable = measured.isNegative() ? measured : Power.ZERO;
        return asked.max(deliverable);
    }
}

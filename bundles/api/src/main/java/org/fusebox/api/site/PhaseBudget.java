package org.fusebox.api.site;

import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
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
 *
 * <p>What a device is <em>measured</em> to draw is only believed when the measurement can be true now (since
 * 1.2), because the uncontrolled load is the grid meter less those draws, and a draw believed but no longer
 * real hides load behind phantom amps:
 * <ul>
 * <li>a connector's currents count only while its state can draw ({@link #mayDraw}: charging or suspended)
 * and they are at most {@link SiteLimits#connectorReadingMaxAge()} old ({@link ChargerReading#ageOf}) on a
 * charger that is not {@link DeviceStatus#stale() stale}. A connector that is finishing, available, faulted,
 * preparing... or whose currents are older counts as no measured draw: whatever it really draws stays in the
 * uncontrolled load, where the meter sees it, and it still counts at its limit in {@link #planned} when it
 * has a setpoint;</li>
 * <li>a battery whose status is stale counts its measured discharge, which only raises the estimate, but not
 * its measured charging.</li>
 * </ul>
 * So a stale or non-drawing device can make the uncontrolled load look higher than it is, never lower.
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
     * chargers and batteries are measured to draw, each counted by {@link #measuredDraw} and
     * {@link #measuredBatteryDraw}. Empty when the grid meter has no fresh reading.
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
                rest = rest.minus(measuredDraw(site.limits(), charger, c));
            }
        }
        for (BatteryState battery : site.batteries()) {
            rest = rest.minus(measuredBatteryDraw(site.limits(), battery));
        }
        return Optional.of(rest);
    }

    /**
     * What {@code connector} of {@code charger} is believed to draw now (since 1.2): its measured currents while
     * its state {@link #mayDraw may draw} and they are fresh (at most {@link SiteLimits#connectorReadingMaxAge()}
     * old, charger not stale); zero otherwise.
     */
    public static PhaseCurrents measuredDraw(SiteLimits limits, ChargerState charger, ConnectorReading connector) {
        ChargerReading reading = charger.reading();
        if (reading == null || charger.status().stale() || !mayDraw(connector.state())) {
            return PhaseCurrents.ZERO;
        }
        if (reading.ageOf(connector).compareTo(limits.connectorReadingMaxAge()) > 0) {
            return PhaseCurrents.ZERO;
        }
        return connector.currents();
    }

    /**
     * Whether a connector in {@code state} can be drawing current (since 1.2): charging, or suspended by the
     * EV or the charger (an EV may trickle). Available, preparing, finishing, reserved, unavailable and
     * faulted connectors deliver no energy, so currents they still show are left over from earlier.
     */
    public static boolean mayDraw(ConnectorState state) {
        return state == ConnectorState.CHARGING || state == ConnectorState.SUSPENDED_EV || state == ConnectorState.SUSPENDED_EVSE;
    }

    /**
     * What a battery is believed to draw now (since 1.2; negative when discharging): its measured power, except
     * that the charging of a battery whose status is stale is not believed (it may have stopped).
     */
    public static PhaseCurrents measuredBatteryDraw(SiteLimits limits, BatteryState battery) {
        if (battery.reading() == null) {
            return PhaseCurrents.ZERO;
        }
        Power p = battery.reading().power();
        if (battery.status().stale() && p.isPositive()) {
            return PhaseCurrents.ZERO;
        }
        return batteryDraw(battery.ratings(), p, limits.nominalVoltage());
    }

    /**
     * The current each phase would carry if {@code setpoints} were applied: the uncontrolled current plus
     * every controllable device counted by the conservative rule above. A connector without a setpoint is
     * counted at what it is believed to draw now ({@link #measuredDraw}), a battery without one at its measured
     * power. Empty when there is no fresh grid reading.
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
                            .map(c -> measuredDraw(site.limits(), charger, c)).orElse(PhaseCurrents.ZERO));
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

package org.fusebox.rest.view;

import java.util.Comparator;
import java.util.List;
import org.fusebox.api.control.BatterySetpoint;
import org.fusebox.api.control.ChargerSetpoint;
import org.fusebox.api.control.PvSetpoint;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Power;

/**
 * A set of setpoints, each list sorted by device id so that the output is stable from cycle to cycle
 * ({@link Setpoints} itself keeps no order).
 *
 * @param chargers  current limit per connector
 * @param batteries power per battery, charging positive
 * @param pv        output cap per inverter
 */
public record SetpointsView(List<ChargerLimit> chargers, List<BatteryPower> batteries, List<PvCap> pv) {

    /** @param limit current per phase; zero pauses charging */
    public record ChargerLimit(String chargerId, int connectorId, Current limit) {
    }

    /** @param power charging positive, discharging negative */
    public record BatteryPower(String batteryId, Power power) {
    }

    /** @param maxOutput the output cap */
    public record PvCap(String inverterId, Power maxOutput) {
    }

    public static SetpointsView of(Setpoints setpoints) {
        List<ChargerLimit> chargers = setpoints.chargers().stream()
                .sorted(Comparator.comparing((ChargerSetpoint s) -> s.connector().chargerId())
                        .thenComparingInt(s -> s.connector().connectorId()))
                .map(s -> new ChargerLimit(s.connector().chargerId(), s.connector().connectorId(), s.limit()))
                .toList();
        List<BatteryPower> batteries = setpoints.batteries().stream()
                .sorted(Comparator.comparing(BatterySetpoint::batteryId))
                .map(s -> new BatteryPower(s.batteryId(), s.power()))
                .toList();
        List<PvCap> pv = setpoints.pv().stream()
                .sorted(Comparator.comparing(PvSetpoint::inverterId))
                .map(s -> new PvCap(s.inverterId(), s.maxOutput()))
                .toList();
        return new SetpointsView(chargers, batteries, pv);
    }
}

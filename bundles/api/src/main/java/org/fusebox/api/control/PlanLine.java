package org.fusebox.api.control;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Money;
import org.fusebox.api.units.PowerSlot;

/**
 * One device's part of a plan: an EV on a connector, or a battery.
 *
 * @param deviceId     the charger or battery id
 * @param connectorId  the connector for an EV, {@code null} for a battery
 * @param power        planned power per slot (charging positive, discharging negative)
 * @param planned      energy the plan delivers (for a battery: net energy into it)
 * @param wanted       energy asked for, {@code null} when nothing was asked (a battery)
 * @param deadline     when it must be done, {@code null} when none
 * @param expectedCost what the planned energy is expected to cost at the known prices, {@code null} without
 *                     prices
 * @param targetMet    whether the plan delivers what was asked by the deadline
 * @param note         why a target is missed, or anything else the operator should know; empty if none
 */
public record PlanLine(String deviceId, Integer connectorId, List<PowerSlot> power, Energy planned, Energy wanted,
        Instant deadline, Money expectedCost, boolean targetMet, String note) {

    public PlanLine {
        Objects.requireNonNull(deviceId, "deviceId");
        power = List.copyOf(power);
        Objects.requireNonNull(planned, "planned");
        note = note == null ? "" : note;
    }
}

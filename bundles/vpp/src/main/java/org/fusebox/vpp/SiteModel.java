package org.fusebox.vpp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.vpp.FlexSite.BatteryFlex;
import org.fusebox.vpp.FlexSite.EvFlex;
import org.fusebox.vpp.FlexSite.PlannedPower;
import org.fusebox.api.units.PowerSlot;

/**
 * Turns a {@link SiteSnapshot} into the {@link FlexSite} the calculation works on. Only what is known for sure may
 * move: a battery with a fresh reading from an online device, an EV drawing now (charging or suspended) whose session
 * says both the energy it wants and its departure. Everything else stays in the uncontrolled import, at what the grid
 * meter sees it draw.
 */
final class SiteModel {

    private SiteModel() {
    }

    /**
     * The site of a cycle, each battery and EV expected to follow its line in the cycle's plans (the battery
     * optimiser's schedule: a line without a connector; the deadline planner's: a line with one) when the plan is at
     * most {@code maxPlanAge} older than the snapshot; the first plan naming a device wins. Empty without a grid
     * reading.
     */
    static Optional<FlexSite> from(CycleReport report, Duration maxPlanAge) {
        SiteSnapshot s = report.snapshot();
        Map<String, List<PlannedPower>> plans = new HashMap<>();
        for (Plan plan : report.plans()) {
            if (plan.computedAt().isBefore(s.timestamp().minus(maxPlanAge))) {
                continue; // stale: the battery may be doing something else by now
            }
            for (PlanLine line : plan.lines()) {
                String key = line.connectorId() == null ? line.deviceId() : line.deviceId() + "/" + line.connectorId();
                if (plans.containsKey(key)) {
                    continue;
                }
                List<PlannedPower> entries = new ArrayList<>();
                for (PowerSlot p : line.power()) {
                    entries.add(new PlannedPower(p.start(), p.end(), p.power().kilowatts()));
                }
                plans.put(key, entries);
            }
        }
        return from(s, plans);
    }

    /** Empty without a grid reading: without the meter nothing is known about the import. */
    static Optional<FlexSite> from(SiteSnapshot s) {
        return from(s, Map.of());
    }

    private static Optional<FlexSite> from(SiteSnapshot s, Map<String, List<PlannedPower>> plans) {
        if (s.grid() == null || s.grid().reading() == null) {
            return Optional.empty();
        }
        SiteLimits limits = s.limits();
        double volts = limits.nominalVoltage().volts();
        double uncontrolled = s.grid().reading().power().kilowatts();
        double limitKw = limits.planningLimit().toPower(limits.nominalVoltage(), limits.phases()).kilowatts();

        List<BatteryFlex> batteries = new ArrayList<>();
        for (BatteryState b : s.batteries()) {
            if (b.reading() == null || !usable(b.status())) {
                continue;
            }
            double capacity = b.ratings().capacity().kilowattHours();
            double roundTrip = b.ratings().roundTripEfficiency().fraction();
            if (!(roundTrip > 0)) {
                continue; // a battery that gives nothing back offers nothing
            }
            double eta = Math.sqrt(Math.min(1, roundTrip));
            double power = b.reading().power().kilowatts();
            batteries.add(new BatteryFlex(b.id(), b.reading().soc().fraction() * capacity, limits.batteryMinSoc().fraction() * capacity,
                    limits.batteryMaxSoc().fraction() * capacity, b.ratings().maxChargePower().kilowatts(),
                    b.ratings().maxDischargePower().kilowatts(), power, eta, eta, plans.getOrDefault(b.id(), List.of())));
            uncontrolled -= power;
        }

        List<EvFlex> evs = new ArrayList<>();
        for (ChargerState c : s.chargers()) {
            if (c.reading() == null || !usable(c.status())) {
                continue;
            }
            for (ConnectorReading r : c.reading().connectors()) {
                EvSession session = r.session();
                Optional<ConnectorInfo> info = c.connector(r.connectorId());
                if (session == null || info.isEmpty() || !PhaseBudget.mayDraw(r.state()) || session.remaining() == null
                        || session.departure() == null || !session.departure().isAfter(s.timestamp())
                        || c.reading().ageOf(r).compareTo(limits.connectorReadingMaxAge()) > 0) {
                    continue;
                }
                int phases = info.get().phases().size();
                double power = Math.max(0, r.power().kilowatts());
                String id = c.id() + "/" + r.connectorId();
                evs.add(new EvFlex(id, power, info.get().minCurrent().amps() * volts * phases / 1000,
                        info.get().maxCurrent().amps() * volts * phases / 1000, session.remaining().kilowattHours(), session.departure(),
                        plans.getOrDefault(id, List.of())));
                uncontrolled -= power;
            }
        }
        return Optional.of(new FlexSite(s.timestamp(), uncontrolled, limitKw, batteries, evs));
    }

    private static boolean usable(DeviceStatus status) {
        return status.state() == DeviceStatus.State.ONLINE && !status.stale();
    }
}

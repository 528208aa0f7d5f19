package org.fusebox.rest.view;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.site.SiteSnapshot;

/**
 * The answer of {@code GET /site}: the latest control cycle, what it saw, asked for and did.
 *
 * @param cycle         cycle number
 * @param timestamp     when the snapshot was taken
 * @param trigger       {@code period}, or the reason of an immediate request
 * @param duration      from snapshot to writes issued
 * @param state         the loop's state after the cycle
 * @param limits        the site's limits in force
 * @param grid          the grid meter, or null when the site has none
 * @param pv            PV inverters
 * @param batteries     batteries
 * @param chargers      EV chargers
 * @param proposed      what the optimisers asked for
 * @param applied       what the SafetyGuard let through and the core sent
 * @param interventions every change the guard made and every safe-state command
 * @param writeResults  each device's latest answer to a write, sorted by device
 * @param optimisers    the optimisers that ran, in order
 * @param prices        the prices known for the next hours (the core asks for up to 48 h), oldest first
 * @param forecasts     the PV and load forecasts in the snapshot, by kind
 * @param plans         what the planning optimisers intend, per EV and battery
 */
public record SiteView(long cycle, Instant timestamp, String trigger, Duration duration, ControlView state,
        LimitsView limits, GridView grid, List<PvView> pv, List<BatteryView> batteries, List<ChargerView> chargers,
        SetpointsView proposed, SetpointsView applied, List<InterventionView> interventions,
        SortedMap<String, WriteResultView> writeResults, List<String> optimisers, List<PlanView.PriceView> prices,
        Map<String, PlanView.ForecastView> forecasts, List<PlanView> plans) {

    /**
     * @param device the device id (and connector, for chargers)
     * @param rule   e.g. {@code fuse}, {@code min-soc}, {@code rating}, {@code failsafe}
     * @param detail what was asked and what was allowed
     */
    public record InterventionView(String device, String rule, String detail) {
    }

    /**
     * @param outcome ACCEPTED, REJECTED or FAILED
     * @param detail  the device's words; empty when accepted
     */
    public record WriteResultView(WriteResult.Outcome outcome, String detail) {
    }

    public static SiteView of(CycleReport report) {
        return of(report, ChargerView.MeteredSessions.NONE);
    }

    /** With each connector's active session as metered by the session recorder. */
    public static SiteView of(CycleReport report, ChargerView.MeteredSessions metered) {
        SiteSnapshot site = report.snapshot();
        SortedMap<String, WriteResultView> writes = new TreeMap<>();
        report.writeResults().forEach((device, r) -> writes.put(device, new WriteResultView(r.outcome(), r.detail())));
        return new SiteView(
                report.cycle(),
                site.timestamp(),
                report.trigger(),
                report.duration(),
                ControlView.of(report.state()),
                LimitsView.of(site.limits()),
                GridView.of(site.grid()),
                site.pv().stream().map(PvView::of).toList(),
                site.batteries().stream().map(BatteryView::of).toList(),
                site.chargers().stream().map(c -> ChargerView.of(c, report, metered)).toList(),
                SetpointsView.of(report.proposed()),
                SetpointsView.of(report.applied()),
                report.interventions().stream().map(i -> new InterventionView(i.device(), i.rule(), i.detail())).toList(),
                Collections.unmodifiableSortedMap(writes),
                report.optimisers(),
                PlanView.prices(site.prices(), site.spotPrices(), site.exportPrices()),
                PlanView.forecasts(site.forecasts()),
                report.plans().stream().map(PlanView::of).toList());
    }
}

package org.fusebox.shell;

import java.time.Instant;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;

/** The text of {@code fusebox:status}: control, last cycle, grid against the fuse, health. */
final class StatusReport {

    private static final String LABEL = "%-12s%s%n";
    private static final String CONTINUATION = "            - %s%n";

    private StatusReport() {
    }

    /**
     * @param control the loop's state, empty when there is no control loop
     * @param last    the last completed cycle, empty before the first (or without a loop)
     * @param health  every component's health
     */
    static String render(Optional<ControlState> control, Optional<CycleReport> last, List<ComponentHealth> health) {
        return render(control, last, health, null, Optional.empty());
    }

    /**
     * @param realNow the gateway's clock now, null to leave the time line out
     * @param siteNow the site clock now, when the site runs on its own (the simulator faster than real time)
     */
    static String render(Optional<ControlState> control, Optional<CycleReport> last, List<ComponentHealth> health, Instant realNow,
            Optional<Instant> siteNow) {
        StringBuilder out = new StringBuilder();
        if (realNow != null) {
            // Cycle times are site time, durations real time: with a simulated site the two drift apart fast.
            line(out, "Time", siteNow.map(s -> "site " + s + " (simulated), real " + realNow)
                    .orElse(realNow + " (site time is real time)"));
        }
        appendControl(out, control);
        if (control.isPresent()) {
            appendCycle(out, last);
        }
        appendHealth(out, health);
        return out.toString();
    }

    private static void appendControl(StringBuilder out, Optional<ControlState> control) {
        if (control.isEmpty()) {
            line(out, "Control", "no control loop is running (is the fusebox-core bundle active?)");
            return;
        }
        ControlState state = control.get();
        line(out, "Control", state.mode() + " since " + state.since() + " (site time)");
        state.reasons().forEach(r -> out.append(String.format(Locale.ROOT, CONTINUATION, r)));
    }

    private static void appendCycle(StringBuilder out, Optional<CycleReport> last) {
        if (last.isEmpty()) {
            line(out, "Last cycle", "none yet");
            return;
        }
        CycleReport report = last.get();
        line(out, "Last cycle", "#" + report.cycle() + " at " + report.snapshot().timestamp() + " (site time), took "
                + Format.duration(report.duration()) + " (real), trigger: " + report.trigger());
        appendGrid(out, report.snapshot().grid(), report.snapshot().limits());
    }

    private static void appendGrid(StringBuilder out, GridState grid, SiteLimits limits) {
        if (grid == null) {
            line(out, "Grid", "no grid meter");
            return;
        }
        MeterReading reading = grid.reading();
        if (reading == null) {
            line(out, "Grid", "no fresh reading (" + Format.status(grid.status()) + ")");
            return;
        }
        line(out, "Grid", Format.gridPower(reading.power()));
        line(out, "Phases", phases(reading, limits));
    }

    /** The phase currents next to the fuse, and how close the busiest phase is to it. */
    static String phases(MeterReading reading, SiteLimits limits) {
        List<String> parts = new ArrayList<>();
        Phase[] used = limits.phases() == 1 ? new Phase[] { Phase.L1 } : Phase.values();
        Current highest = Current.ZERO;
        for (Phase p : used) {
            Current c = reading.currents().on(p);
            parts.add(p + " " + Format.amps(c));
            highest = highest.max(c);
        }
        double share = highest.amps() / limits.fuseLimit().amps() * 100.0;
        String verdict = highest.isGreaterThan(limits.fuseLimit()) ? ", ABOVE THE FUSE"
                : highest.isGreaterThan(limits.planningLimit()) ? ", above the planning limit" : "";
        return String.join("  ", parts) + "  (fuse " + Format.amps(limits.fuseLimit()) + ", planning limit "
                + Format.amps(limits.planningLimit()) + "; busiest phase at " + Format.percent(share) + " of the fuse"
                + verdict + ")";
    }

    private static void appendHealth(StringBuilder out, List<ComponentHealth> health) {
        if (health.isEmpty()) {
            line(out, "Health", "no health indicators registered");
            return;
        }
        line(out, "Health", summary(health));
        int width = health.stream().mapToInt(h -> h.name().length()).max().orElse(0);
        for (ComponentHealth h : health.stream().sorted(ComponentHealth.WORST_FIRST).toList()) {
            String text = String.format(Locale.ROOT, "  %-9s %-" + width + "s  %s", h.status(), h.name(),
                    String.join("; ", h.details()));
            out.append(text.stripTrailing()).append(System.lineSeparator());
        }
    }

    /** {@code 1 DOWN, 2 UP}: counts, worst first, zero counts left out. */
    private static String summary(List<ComponentHealth> health) {
        Map<HealthStatus, Integer> counts = new EnumMap<>(HealthStatus.class);
        health.forEach(h -> counts.merge(h.status(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        for (HealthStatus s : List.of(HealthStatus.DOWN, HealthStatus.DEGRADED, HealthStatus.UP)) {
            if (counts.containsKey(s)) {
                parts.add(counts.get(s) + " " + s);
            }
        }
        return String.join(", ", parts);
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append(String.format(Locale.ROOT, LABEL, label, text));
    }
}

package org.fusebox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private static String render(SiteSnapshot snapshot) {
        return StatusReport.render(Optional.of(SampleSite.RUNNING), Optional.of(SampleSite.report(snapshot)), List.of());
    }

    @Test
    void showsModeCycleGridAndPhasesAgainstTheFuse() {
        String text = StatusReport.render(Optional.of(SampleSite.RUNNING), Optional.of(SampleSite.report()), List.of());

        assertThat(lines(text)).startsWith(
                "Control     RUNNING since 2024-05-01T11:59:00Z (site time)",
                "Last cycle  #1234 at 2024-05-01T12:00:01.500Z (site time), took 3.25 ms (real), trigger: period",
                "Grid        import 7.36 kW",
                "Phases      L1 31.3 A  L2 28.0 A  L3 30.5 A  (fuse 40.0 A, planning limit 37.0 A;"
                        + " busiest phase at 78 % of the fuse)");
    }

    @Test
    void failsafeReasonsAreListedUnderTheMode() {
        ControlState failsafe = new ControlState(ControlMode.FAILSAFE, List.of("grid meter gone", "config refused"),
                SampleSite.T0);

        String text = StatusReport.render(Optional.of(failsafe), Optional.empty(), List.of());

        assertThat(lines(text)).containsSequence(
                "Control     FAILSAFE since 2024-05-01T12:00:00Z (site time)",
                "            - grid meter gone",
                "            - config refused",
                "Last cycle  none yet");
    }

    @Test
    void saysSoWhenThereIsNoControlLoop() {
        String text = StatusReport.render(Optional.empty(), Optional.empty(), List.of());

        assertThat(text).contains("no control loop is running").doesNotContain("Last cycle");
    }

    @Test
    void exportIsShownAsExport() {
        SiteSnapshot snapshot = SiteSnapshot.builder(SampleSite.LIMITS).timestamp(SampleSite.NOW)
                .grid(SampleSite.grid(PhaseCurrents.ofAmps(-5, -5, -5), Power.ofWatts(-3450))).build();

        assertThat(render(snapshot)).contains("Grid        export 3.45 kW");
    }

    @Test
    void flagsAPhaseAboveThePlanningLimitAndAboveTheFuse() {
        SiteSnapshot tight = SiteSnapshot.builder(SampleSite.LIMITS).timestamp(SampleSite.NOW)
                .grid(SampleSite.grid(PhaseCurrents.ofAmps(20, 38, 20), Power.ofKilowatts(18))).build();
        SiteSnapshot blown = SiteSnapshot.builder(SampleSite.LIMITS).timestamp(SampleSite.NOW)
                .grid(SampleSite.grid(PhaseCurrents.ofAmps(20, 20, 42), Power.ofKilowatts(19))).build();

        assertThat(render(tight)).contains("busiest phase at 95 % of the fuse, above the planning limit)");
        assertThat(render(blown)).contains("busiest phase at 105 % of the fuse, ABOVE THE FUSE)");
    }

    @Test
    void aSinglePhaseSiteShowsOnlyL1() {
        SiteLimits onePhase = new SiteLimits(Current.ofAmps(25), Current.ofAmps(2), 1, Voltage.NOMINAL_230,
                Percent.of(10), Percent.of(95), Duration.ofSeconds(1));
        SiteSnapshot snapshot = SiteSnapshot.builder(onePhase).timestamp(SampleSite.NOW)
                .grid(SampleSite.grid(PhaseCurrents.ofAmps(10, 0, 0), Power.ofKilowatts(2.3))).build();

        assertThat(render(snapshot)).contains("Phases      L1 10.0 A  (fuse 25.0 A").doesNotContain("L2");
    }

    @Test
    void aMissingOrSilentGridMeterIsSaid() {
        SiteSnapshot none = SiteSnapshot.builder(SampleSite.LIMITS).timestamp(SampleSite.NOW).build();
        SiteSnapshot silent = SiteSnapshot.builder(SampleSite.LIMITS).timestamp(SampleSite.NOW)
                .grid(new GridState("grid", "Grid",
                        DeviceStatus.offline("timeout", SampleSite.T0), null))
                .build();

        assertThat(render(none)).contains("Grid        no grid meter").doesNotContain("Phases");
        assertThat(render(silent)).contains("Grid        no fresh reading (OFFLINE: timeout)");
    }

    @Test
    void healthIsOneLinePerComponentWorstFirstWithASummary() {
        List<ComponentHealth> health = List.of(
                new ComponentHealth("core", HealthStatus.UP, List.of()),
                new ComponentHealth("optimiser.fuse", HealthStatus.DEGRADED, List.of("slow")),
                new ComponentHealth("simulator", HealthStatus.DOWN, List.of("meter offline", "battery offline")));

        String text = StatusReport.render(Optional.of(SampleSite.RUNNING), Optional.empty(), health);

        assertThat(lines(text)).containsSequence(
                "Health      1 DOWN, 1 DEGRADED, 1 UP",
                "  DOWN      simulator       meter offline; battery offline",
                "  DEGRADED  optimiser.fuse  slow",
                "  UP        core");
    }

    @Test
    void saysSoWhenNoComponentReportsHealth() {
        String text = StatusReport.render(Optional.of(SampleSite.RUNNING), Optional.empty(), List.of());

        assertThat(text).contains("Health      no health indicators registered");
    }

    @Test
    void theTimeLineLabelsSiteAndRealTime() {
        java.time.Instant real = java.time.Instant.parse("2024-05-01T10:00:00Z");
        String simulated = StatusReport.render(Optional.of(SampleSite.RUNNING), Optional.of(SampleSite.report()), List.of(), real,
                Optional.of(java.time.Instant.parse("2024-05-01T12:00:02Z")));
        assertThat(simulated).startsWith("Time        site 2024-05-01T12:00:02Z (simulated), real 2024-05-01T10:00:00Z");
        String plain = StatusReport.render(Optional.of(SampleSite.RUNNING), Optional.empty(), List.of(), real, Optional.empty());
        assertThat(plain).startsWith("Time        2024-05-01T10:00:00Z (site time is real time)");
    }
}

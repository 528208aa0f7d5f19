package org.fusebox.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

class SiteMetricsTest {

    static String scrape(SiteMetrics m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    static HealthIndicator indicator(String name, Health h) {
        return new HealthIndicator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Health health() {
                return h;
            }
        };
    }

    @Test
    void aFakeCycleShowsAsNamedMetricsWithItsValues() throws Exception {
        SiteSnapshot s = new TestSites().uncontrolled(5, 6, 7)
                .charger("cp-1", TestSites.THREE, 32, ConnectorState.CHARGING, 16)
                .battery("bat-1", 55.5, -1500).build();
        Setpoints applied = Setpoints.builder().chargerLimit(new ConnectorRef("cp-1", 1), Current.ofAmps(20)).build();
        ControlState running = new ControlState(ControlMode.RUNNING, List.of(), Instant.EPOCH);
        CycleReport report = new CycleReport(s, "period", List.of("fuse"), applied, applied, List.of(), Map.of(), running,
                Duration.ofMillis(3));
        SiteMetrics m = new SiteMetrics(() -> Optional.of(report), () -> Optional.of(running),
                () -> List.of(indicator("core", Health.up()), indicator("cloud.mqtt", Health.degraded("broker unreachable"))), 100, 100);
        m.onEvent(FuseboxEvents.CYCLE_COMPLETED, 3_000L);
        m.onEvent(FuseboxEvents.CYCLE_COMPLETED, 40_000L);
        m.onEvent(FuseboxEvents.SETPOINT_CLAMPED, null);
        m.onEvent("fusebox/management/UPGRADED", null);
        m.onEvent("fusebox/management/ROLLED_BACK", null);

        String text = scrape(m);
        double battery = -1500 / 230.0 / 3;
        assertThat(text)
                .contains("fusebox_grid_current_amps{phase=\"l1\"} " + (5 + 16 + battery))
                .contains("fusebox_fuse_limit_amps 40.0")
                .contains("fusebox_planning_limit_amps 38.0")
                .contains("fusebox_battery_soc_percent{device=\"bat-1\"} 55.5")
                .contains("fusebox_battery_power_watts{device=\"bat-1\"} -1500.0")
                .contains("fusebox_charger_current_amps{charger=\"cp-1\",connector=\"1\",phase=\"l2\"} 16.0")
                .contains("fusebox_charger_current_limit_amps{charger=\"cp-1\",connector=\"1\"} 16.0")
                .contains("fusebox_charger_setpoint_amps{charger=\"cp-1\",connector=\"1\"} 20.0")
                .contains("fusebox_control_mode{mode=\"RUNNING\"} 1.0")
                .contains("fusebox_control_mode{mode=\"FAILSAFE\"} 0.0")
                .contains("fusebox_control_cycle_duration_seconds_bucket{le=\"0.005\"} 1")
                .contains("fusebox_control_cycle_duration_seconds_bucket{le=\"0.05\"} 2")
                .contains("fusebox_control_cycle_duration_seconds_count 2")
                .contains("fusebox_events_total{topic=\"fusebox/control/SETPOINT_CLAMPED\"} 1.0")
                .contains("fusebox_ota_results_total{result=\"upgraded\"} 1.0")
                .contains("fusebox_ota_results_total{result=\"rolled_back\"} 1.0")
                .contains("fusebox_health_status{component=\"cloud.mqtt\"} 1.0")
                .contains("fusebox_health_status{component=\"core\"} 0.0")
                .contains("fusebox_device_up{device=\"cp-1\",role=\"ev_charger\"} 1.0")
                .contains("fusebox_chargers_online 1.0")
                .contains("# TYPE fusebox_control_cycle_duration_seconds histogram")
                .doesNotContain("fusebox_events_total{topic=\"fusebox/control/CYCLE_COMPLETED\"}");
    }

    @Test
    void withoutACycleTheSiteGaugesAreAbsentNotZero() throws Exception {
        SiteMetrics m = new SiteMetrics(Optional::empty, Optional::empty, List::of, 100, 100);
        String text = scrape(m);
        assertThat(text).doesNotContain("fusebox_grid_current_amps{").doesNotContain("fusebox_fuse_limit_amps 0");
        assertThat(text).contains("fusebox_control_cycle_duration_seconds_count 0");
    }

    @Test
    void eventTopicsAreBoundedAndTheRestCountsAsOther() throws Exception {
        SiteMetrics m = new SiteMetrics(Optional::empty, Optional::empty, List::of, 100, 2);
        m.onEvent("fusebox/a", null);
        m.onEvent("fusebox/b", null);
        m.onEvent("fusebox/c", null);
        m.onEvent("fusebox/d", null);
        m.onEvent("fusebox/a", null);
        String text = scrape(m);
        assertThat(text).contains("fusebox_events_total{topic=\"fusebox/a\"} 2.0").contains("fusebox_events_total{topic=\"other\"} 2.0")
                .doesNotContain("topic=\"fusebox/c\"");
    }
}

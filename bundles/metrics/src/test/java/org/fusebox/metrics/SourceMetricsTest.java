package org.fusebox.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.fusebox.api.metrics.Measurement;
import org.fusebox.api.metrics.MetricsSource;
import org.junit.jupiter.api.Test;

class SourceMetricsTest {

    static MetricsSource source(String component, Supplier<List<Measurement>> answer) {
        return new MetricsSource() {
            @Override
            public String component() {
                return component;
            }

            @Override
            public List<Measurement> measurements() {
                return answer.get();
            }
        };
    }

    static SiteMetrics metrics(Collection<MetricsSource> sources, int maxSeries) {
        return new SiteMetrics(Optional::empty, Optional::empty, List::of, () -> sources, 100, 100, maxSeries);
    }

    static List<Measurement> device(String id, double requests, double timeouts) {
        return List.of(
                Measurement.counter("requests_total", "Requests sent", Map.of("device", id), requests),
                Measurement.counter("requests_failed_total", "Requests that failed", Map.of("device", id, "reason", "timeout"),
                        timeouts),
                Measurement.gauge("connected", "1 while connected", Map.of("device", id), 1));
    }

    @Test
    void sourcesAreExportedUnderTheirComponentAndOneThatThrowsIsCountedNotFatal() throws Exception {
        List<MetricsSource> sources = new CopyOnWriteArrayList<>();
        sources.add(source("modbus", () -> device("grid", 120, 2)));
        sources.add(source("modbus", () -> device("pv-1", 80, 0)));
        sources.add(source("cloud.mqtt", () -> List.of(
                Measurement.gauge("store_messages", "Messages queued", Map.of("priority", "EVENT"), 7),
                Measurement.gauge("connected", "1 while connected", 0))));
        sources.add(source("broken", () -> {
            throw new IllegalStateException("boom");
        }));
        SiteMetrics m = metrics(sources, 500);

        String text = SiteMetricsTest.scrape(m);
        assertThat(text.lines())
                .contains("# TYPE fusebox_modbus_requests_total counter")
                .contains("# HELP fusebox_modbus_requests_total Requests sent")
                .contains("fusebox_modbus_requests_total{device=\"grid\"} 120.0")
                .contains("fusebox_modbus_requests_total{device=\"pv-1\"} 80.0")
                .contains("fusebox_modbus_requests_failed_total{device=\"grid\",reason=\"timeout\"} 2.0")
                .contains("# TYPE fusebox_modbus_connected gauge")
                .contains("fusebox_modbus_connected{device=\"pv-1\"} 1.0")
                .contains("fusebox_cloud_mqtt_store_messages{priority=\"EVENT\"} 7.0")
                .contains("fusebox_cloud_mqtt_connected 0.0")
                .contains("fusebox_metrics_source_errors_total{component=\"broken\"} 1.0");
        // one family per name, however many sources share the component
        assertThat(text.lines().filter(l -> l.equals("# TYPE fusebox_modbus_requests_total counter"))).hasSize(1);
        assertThat(text).doesNotContain("fusebox_broken_");

        // asked again at the next scrape: values are those of the moment, the error counts once more
        sources.set(0, source("modbus", () -> device("grid", 121, 3)));
        text = SiteMetricsTest.scrape(m);
        assertThat(text.lines()).contains("fusebox_modbus_requests_total{device=\"grid\"} 121.0")
                .contains("fusebox_metrics_source_errors_total{component=\"broken\"} 2.0");
    }

    @Test
    void garbageAnswersLeaveOutOnlyTheirSource() throws Exception {
        List<MetricsSource> sources = new ArrayList<>();
        sources.add(source("good", () -> List.of(Measurement.gauge("value", "ok", 1))));
        sources.add(source("nolist", () -> null));
        List<Measurement> withNull = new ArrayList<>();
        withNull.add(Measurement.gauge("a", "a", 1));
        withNull.add(null);
        sources.add(source("withnull", () -> withNull));
        sources.add(source("twice", () -> List.of(Measurement.gauge("a", "a", 1), Measurement.gauge("a", "a", 2))));
        sources.add(source("mixed", () -> List.of(Measurement.gauge("a", "a", Map.of("x", "1"), 1),
                Measurement.counter("a_total", "a", Map.of("x", "2"), 1))));
        sources.add(source(null, () -> List.of(Measurement.gauge("a", "a", 1))));
        sources.add(source("...", () -> List.of(Measurement.gauge("a", "a", 1))));
        // fusebox_control_mode is the bundle's own
        sources.add(source("control", () -> List.of(Measurement.gauge("mode", "mine", 1))));
        // a second "good" that gives the first one's series again, or the same name as another kind
        sources.add(source("good", () -> List.of(Measurement.gauge("value", "again", 5))));
        sources.add(source("Good", () -> List.of(Measurement.counter("value_total", "other kind", 5))));
        SiteMetrics m = metrics(sources, 500);

        String text = SiteMetricsTest.scrape(m);
        assertThat(text.lines()).contains("fusebox_good_value 1.0")
                .contains("fusebox_metrics_source_errors_total{component=\"nolist\"} 1.0")
                .contains("fusebox_metrics_source_errors_total{component=\"withnull\"} 1.0")
                .contains("fusebox_metrics_source_errors_total{component=\"twice\"} 1.0")
                .contains("fusebox_metrics_source_errors_total{component=\"mixed\"} 1.0")
                .contains("fusebox_metrics_source_errors_total{component=\"unknown\"} 2.0")
                .contains("fusebox_metrics_source_errors_total{component=\"control\"} 1.0")
                .contains("fusebox_metrics_source_errors_total{component=\"good\"} 2.0");
        assertThat(text).doesNotContain("fusebox_withnull_a").doesNotContain("fusebox_twice_a")
                .doesNotContain("fusebox_mixed_a").doesNotContain("fusebox_good_value_total").doesNotContain("mine")
                .doesNotContain("again");
    }

    @Test
    void aSourceOverTheSeriesBoundGivesItsFirstSeriesAndCountsAsAnError() throws Exception {
        List<Measurement> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(Measurement.gauge("queue", "q", Map.of("n", Integer.toString(i)), i));
        }
        SiteMetrics m = metrics(List.of(source("big", () -> many)), 3);
        String text = SiteMetricsTest.scrape(m);
        assertThat(text.lines()).contains("fusebox_big_queue{n=\"0\"} 0.0", "fusebox_big_queue{n=\"2\"} 2.0",
                "fusebox_metrics_source_errors_total{component=\"big\"} 1.0");
        assertThat(text).doesNotContain("fusebox_big_queue{n=\"3\"}");
    }

    @Test
    void componentNamesAreSanitised() {
        assertThat(SourceCollector.sanitise("cloud.mqtt")).isEqualTo("cloud_mqtt");
        assertThat(SourceCollector.sanitise("Driver-OCPP 1.6")).isEqualTo("driver_ocpp_1_6");
        assertThat(SourceCollector.sanitise("__a..b__")).isEqualTo("a_b");
        assertThat(SourceCollector.sanitise("-.-")).isEmpty();
    }

    @Test
    void theJvmIsExported() throws Exception {
        String text = SiteMetricsTest.scrape(metrics(List.of(), 500));
        assertThat(text).containsPattern("(?m)^fusebox_jvm_memory_used_bytes\\{area=\"heap\"} [0-9.E]+$")
                .containsPattern("(?m)^fusebox_jvm_memory_committed_bytes\\{area=\"nonheap\"} [0-9.E]+$")
                .containsPattern("(?m)^fusebox_jvm_threads [0-9.E]+$")
                .containsPattern("(?m)^fusebox_jvm_uptime_seconds [0-9.E]+$")
                .contains("# TYPE fusebox_jvm_gc_collections_total counter");
        assertThat(text).doesNotContain("fusebox_metrics_source_errors_total{");
    }
}

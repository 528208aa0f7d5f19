package org.fusebox.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.fusebox.api.control.ChargerSetpoint;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.metrics.MetricsSource;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;

/**
 * The metrics, on a registry of their own. Site values are read from the latest cycle report when the scraper asks
 * (callbacks), so a scrape shows the site as of the last cycle and costs the control loop nothing; the cycle
 * duration histogram and the event counters are fed from EventAdmin events. Only api types are read.
 */
final class SiteMetrics {

    static final String OTA_TOPIC_PREFIX = "fusebox/management/";
    static final String OTHER_TOPIC = "other";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Supplier<Optional<CycleReport>> cycles;
    private final Supplier<Optional<ControlState>> state;
    private final Supplier<Collection<HealthIndicator>> indicators;
    private final int maxDevices;
    private final int maxTopics;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();

    private final Histogram cycleDuration;
    private final Counter events;
    private final Counter otaResults;
    private volatile double lastCycleSeconds = Double.NaN;

    static final int DEFAULT_MAX_SERIES_PER_SOURCE = 500;

    SiteMetrics(Supplier<Optional<CycleReport>> cycles, Supplier<Optional<ControlState>> state,
            Supplier<Collection<HealthIndicator>> indicators, int maxDevices, int maxTopics) {
        this(cycles, state, indicators, List::of, maxDevices, maxTopics, DEFAULT_MAX_SERIES_PER_SOURCE);
    }

    /**
     * @param sources            the {@link MetricsSource} services, asked at every scrape
     * @param maxSeriesPerSource series one source may give; the rest of its answer is left out
     */
    SiteMetrics(Supplier<Optional<CycleReport>> cycles, Supplier<Optional<ControlState>> state,
            Supplier<Collection<HealthIndicator>> indicators, Supplier<Collection<MetricsSource>> sources, int maxDevices,
            int maxTopics, int maxSeriesPerSource) {
        this.cycles = cycles;
        this.state = state;
        this.indicators = indicators;
        this.maxDevices = maxDevices;
        this.maxTopics = maxTopics;
        cycleDuration = Histogram.builder().name("fusebox_control_cycle_duration_seconds")
                .help("How long a control cycle took, from snapshot to writes issued")
                .classicOnly()
                // exemplars need the optional tracer bundles, which the feature leaves out
                .withoutExemplars()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
                .register(registry);
        events = Counter.builder().name("fusebox_events_total").help("Fusebox events posted, by topic (cycles are in the histogram)")
                .labelNames("topic").withoutExemplars().register(registry);
        otaResults = Counter.builder().name("fusebox_ota_results_total")
                .help("Over-the-air operations by outcome (fusebox/management/* events: upgraded, refused, rolled_back, ...)")
                .labelNames("result").withoutExemplars().register(registry);
        registerSiteGauges();
        JvmMetrics.register(registry);
        // the names above are the registry's own: a source may not take one of them (nor their derived lines)
        Set<String> taken = new HashSet<>();
        registry.scrape().forEach(snapshot -> {
            String name = snapshot.getMetadata().getPrometheusName();
            for (String suffix : new String[] {"", "_total", "_count", "_sum", "_bucket", "_created", "_info"}) {
                taken.add(name + suffix);
            }
        });
        registry.register(new SourceCollector(sources, maxSeriesPerSource, taken));
    }

    PrometheusRegistry registry() {
        return registry;
    }

    /** An EventAdmin event of {@code fusebox/*}. */
    void onEvent(String topic, Object durationMicros) {
        if (FuseboxEvents.CYCLE_COMPLETED.equals(topic)) {
            if (durationMicros instanceof Number n) {
                cycleDuration.observe(n.doubleValue() / 1_000_000);
            }
            lastCycleSeconds = System.currentTimeMillis() / 1000.0;
            return;
        }
        String label = topic;
        if (!topics.contains(topic)) {
            label = topics.size() < maxTopics && topics.add(topic) ? topic : OTHER_TOPIC;
        }
        events.labelValues(label).inc();
        if (topic.startsWith(OTA_TOPIC_PREFIX)) {
            otaResults.labelValues(topic.substring(OTA_TOPIC_PREFIX.length()).toLowerCase(Locale.ROOT)).inc();
        }
    }

    private Optional<SiteSnapshot> snapshot() {
        return cycles.get().map(CycleReport::snapshot);
    }

    private void registerSiteGauges() {
        GaugeWithCallback.builder().name("fusebox_control_last_cycle_timestamp_seconds")
                .help("When the gateway saw the last control cycle complete (Unix time)")
                .callback(cb -> {
                    if (!Double.isNaN(lastCycleSeconds)) {
                        cb.call(lastCycleSeconds);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("fusebox_control_mode").help("1 for the control loop's current mode, 0 for the others")
                .labelNames("mode")
                .callback(cb -> state.get().ifPresent(s -> {
                    for (ControlMode m : ControlMode.values()) {
                        cb.call(m == s.mode() ? 1 : 0, m.name());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("fusebox_fuse_limit_amps").help("The fuse: current allowed per phase at the grid connection")
                .callback(cb -> snapshot().ifPresent(s -> cb.call(s.limits().fuseLimit().amps()))).register(registry);
        GaugeWithCallback.builder().name("fusebox_planning_limit_amps").help("The fuse less the safety margin, what planners aim for")
                .callback(cb -> snapshot().ifPresent(s -> cb.call(s.limits().planningLimit().amps()))).register(registry);
        GaugeWithCallback.builder().name("fusebox_battery_min_soc_percent").help("Batteries are never discharged below this")
                .callback(cb -> snapshot().ifPresent(s -> cb.call(s.limits().batteryMinSoc().value()))).register(registry);
        GaugeWithCallback.builder().name("fusebox_grid_current_amps").help("Grid meter current per phase, import positive")
                .labelNames("phase")
                .callback(cb -> snapshot().flatMap(SiteSnapshot::gridMeter).map(g -> g.reading()).ifPresent(r -> {
                    cb.call(r.currents().l1().amps(), "l1");
                    cb.call(r.currents().l2().amps(), "l2");
                    cb.call(r.currents().l3().amps(), "l3");
                })).register(registry);
        GaugeWithCallback.builder().name("fusebox_grid_power_watts").help("Grid meter active power, import positive")
                .callback(cb -> snapshot().flatMap(SiteSnapshot::gridMeter).map(g -> g.reading())
                        .ifPresent(r -> cb.call(r.power().watts()))).register(registry);
        GaugeWithCallback.builder().name("fusebox_pv_power_watts").help("PV inverter output, production positive")
                .labelNames("device")
                .callback(cb -> snapshot().ifPresent(s -> {
                    for (PvState p : limit(s.pv())) {
                        if (p.reading() != null) {
                            cb.call(p.reading().power().watts(), p.id());
                        }
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("fusebox_battery_soc_percent").help("Battery state of charge")
                .labelNames("device")
                .callback(cb -> snapshot().ifPresent(s -> {
                    for (BatteryState b : limit(s.batteries())) {
                        if (b.reading() != null) {
                            cb.call(b.reading().soc().value(), b.id());
                        }
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("fusebox_battery_power_watts").help("Battery AC power, charging positive")
                .labelNames("device")
                .callback(cb -> snapshot().ifPresent(s -> {
                    for (BatteryState b : limit(s.batteries())) {
                        if (b.reading() != null) {
                            cb.call(b.reading().power().watts(), b.id());
                        }
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("fusebox_charger_current_amps").help("Current a connector draws per grid phase")
                .labelNames("charger", "connector", "phase")
                .callback(cb -> connectors((c, r) -> {
                    String id = Integer.toString(r.connectorId());
                    cb.call(r.currents().l1().amps(), c.id(), id, "l1");
                    cb.call(r.currents().l2().amps(), c.id(), id, "l2");
                    cb.call(r.currents().l3().amps(), c.id(), id, "l3");
                })).register(registry);
        GaugeWithCallback.builder().name("fusebox_charger_current_limit_amps").help("The limit a connector reports it applies now")
                .labelNames("charger", "connector")
                .callback(cb -> connectors((c, r) -> cb.call(r.currentLimit().amps(), c.id(), Integer.toString(r.connectorId()))))
                .register(registry);
        GaugeWithCallback.builder().name("fusebox_charger_power_watts").help("Power a connector draws")
                .labelNames("charger", "connector")
                .callback(cb -> connectors((c, r) -> cb.call(r.power().watts(), c.id(), Integer.toString(r.connectorId()))))
                .register(registry);
        GaugeWithCallback.builder().name("fusebox_charger_setpoint_amps")
                .help("The limit the last cycle sent to a connector, after the SafetyGuard")
                .labelNames("charger", "connector")
                .callback(cb -> cycles.get().ifPresent(report -> {
                    for (ChargerSetpoint sp : limit(report.applied().chargers())) {
                        cb.call(sp.limit().amps(), sp.connector().chargerId(), Integer.toString(sp.connector().connectorId()));
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("fusebox_device_up").help("1 when a device of the last snapshot is online, 0 otherwise")
                .labelNames("device", "role")
                .callback(cb -> snapshot().ifPresent(s -> {
                    int n = 0;
                    if (s.grid() != null) {
                        cb.call(up(s.grid().status()), s.grid().id(), "grid_meter");
                        n++;
                    }
                    for (PvState p : s.pv()) {
                        if (n++ < maxDevices) {
                            cb.call(up(p.status()), p.id(), "pv_inverter");
                        }
                    }
                    for (BatteryState b : s.batteries()) {
                        if (n++ < maxDevices) {
                            cb.call(up(b.status()), b.id(), "battery");
                        }
                    }
                    for (ChargerState c : s.chargers()) {
                        if (n++ < maxDevices) {
                            cb.call(up(c.status()), c.id(), "ev_charger");
                        }
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("fusebox_chargers_online")
                .help("Chargers online in the last snapshot; for OCPP chargers, those connected to the central system")
                .callback(cb -> snapshot().ifPresent(s -> cb.call(s.chargers().stream().filter(c -> c.status().isOnline()).count())))
                .register(registry);
        GaugeWithCallback.builder().name("fusebox_health_status")
                .help("Health of each component: 0 UP, 1 DEGRADED, 2 DOWN (an indicator that fails counts as DOWN)")
                .labelNames("component")
                .callback(cb -> {
                    int n = 0;
                    for (HealthIndicator h : indicators.get()) {
                        if (n++ >= maxDevices) {
                            break;
                        }
                        String name;
                        HealthStatus status;
                        try {
                            name = h.name();
                            Health health = h.health();
                            status = health == null ? HealthStatus.DOWN : health.status();
                        } catch (RuntimeException e) {
                            continue;
                        }
                        cb.call(status.ordinal(), name);
                    }
                }).register(registry);
    }

    private static double up(DeviceStatus status) {
        return status.state() == DeviceStatus.State.ONLINE ? 1 : 0;
    }

    private <T> List<T> limit(List<T> list) {
        return list.size() <= maxDevices ? list : list.subList(0, maxDevices);
    }

    private interface ConnectorVisitor {
        void visit(ChargerState charger, ConnectorReading reading);
    }

    private void connectors(ConnectorVisitor visitor) {
        snapshot().ifPresent(s -> {
            int n = 0;
            for (ChargerState c : s.chargers()) {
                if (c.reading() == null) {
                    continue;
                }
                for (ConnectorReading r : c.reading().connectors()) {
                    if (n++ >= maxDevices) {
                        return;
                    }
                    visitor.visit(c, r);
                }
            }
        });
    }
}

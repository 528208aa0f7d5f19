package org.fusebox.forecast.simple;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.Forecaster;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the PV and the load forecaster share: configuration handling, the sampling thread that reads the
 * control loop's last cycle, and the store. The DS annotations are on the two subclasses.
 */
abstract class ForecastComponent implements Forecaster, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(ForecastComponent.class);

    private final String pid;
    private final ProfileForecaster engine;
    private volatile String configError;
    private volatile String storeError;
    private volatile ControlLoop controlLoop;
    private volatile EventAdmin eventAdmin;
    private ScheduledExecutorService sampler;
    private ScheduledFuture<?> sampling;

    ForecastComponent(String pid, ForecastKind kind, String id) {
        this.pid = pid;
        this.engine = new ProfileForecaster(kind, id, ForecastSettings.defaults(kind, karafData()));
    }

    static String karafData() {
        return System.getProperty("karaf.data");
    }

    /** Applies a configuration at activation or change; a refused one leaves the previous in force. */
    final synchronized void configure(ForecastSettingsSupplier supplier) {
        ForecastSettings next;
        try {
            next = supplier.get();
            configError = null;
        } catch (IllegalArgumentException e) {
            configError = "configuration " + pid + " refused, previous one stays in force: " + e.getMessage();
            LOG.error(configError);
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, pid, FuseboxEvents.REASON, e.getMessage())));
            }
            if (sampler == null) {
                start();
            }
            return;
        }
        ForecastSettings previous = engine.settings();
        engine.settings(next);
        if (sampler == null || !Objects.equals(previous.store(), next.store())) {
            loadStore();
        }
        if (sampler == null || !previous.samplePeriod().equals(next.samplePeriod())) {
            start();
        }
    }

    @FunctionalInterface
    interface ForecastSettingsSupplier {
        ForecastSettings get();
    }

    private void loadStore() {
        try {
            if (engine.load()) {
                LOG.info("{}: learned profile read from {} ({} of 672 quarter-hours known)", pid, engine.settings().store(),
                        engine.profile().knownCells());
            }
            storeError = null;
        } catch (IOException | RuntimeException e) {
            storeError = "cannot read the learned profile " + engine.settings().store() + ", starting empty: " + e.getMessage();
            LOG.warn("{}: {}", pid, storeError);
        }
    }

    private void start() {
        if (sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fusebox-" + pid);
                t.setDaemon(true);
                return t;
            });
        }
        if (sampling != null) {
            sampling.cancel(false);
        }
        long period = engine.settings().samplePeriod().toMillis();
        sampling = sampler.scheduleWithFixedDelay(this::sample, period, period, TimeUnit.MILLISECONDS);
    }

    /** One sampling tick: never lets an exception end the schedule. */
    final void sample() {
        try {
            ControlLoop loop = controlLoop;
            if (loop == null) {
                return;
            }
            loop.lastCycle().ifPresent(report -> {
                if (engine.observe(report.snapshot())) {
                    save();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("{}: sampling failed: {}", pid, e.toString());
        }
    }

    private void save() {
        try {
            engine.save();
            storeError = null;
        } catch (IOException | RuntimeException e) {
            storeError = "cannot write the learned profile " + engine.settings().store() + ": " + e;
            LOG.warn("{}: {}", pid, storeError);
        }
    }

    final synchronized void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
            sampling = null;
        }
        if (engine.flush()) {
            save();
        }
    }

    ProfileForecaster engine() {
        return engine;
    }

    @Override
    public String id() {
        return engine.id();
    }

    @Override
    public ForecastKind kind() {
        return engine.kind();
    }

    @Override
    public PowerForecast forecast(Instant from, Instant to) {
        return engine.forecast(from, to);
    }

    @Override
    public String name() {
        return pid.substring("fusebox.".length());
    }

    @Override
    public Health health() {
        List<String> problems = new ArrayList<>();
        if (configError != null) {
            problems.add(configError);
        }
        if (storeError != null) {
            problems.add(storeError);
        }
        String gap = engine.gap();
        if (gap != null) {
            problems.add(gap);
        }
        if (!problems.isEmpty()) {
            return Health.degraded(problems.toArray(String[]::new));
        }
        Instant warm = engine.warmingUpUntil();
        if (warm != null) {
            // working as designed, so not DEGRADED; but it explains an empty forecast in the plans
            return new Health(HealthStatus.UP, List.of("warming up: nothing learned yet, so the forecast is empty until " + warm
                    + " (site time), when the first quarter-hour is learned; a configured curve would be used meanwhile"));
        }
        return Health.up();
    }

    void bindControlLoop(ControlLoop loop) {
        controlLoop = loop;
    }

    void unbindControlLoop(ControlLoop loop) {
        if (controlLoop == loop) {
            controlLoop = null;
        }
    }

    void bindEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void unbindEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }
}

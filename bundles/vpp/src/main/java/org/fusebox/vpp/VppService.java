package org.fusebox.vpp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.CloudPublisher;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalSource;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.site.SiteClock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VPP participant as a service: a {@link GridSignalSource} of the accepted shed dispatches (so the core enforces
 * them in its safety tier like the fuse, ADR 24), the {@code VPP-V1} {@link CloudRequestHandler}, and a
 * {@link HealthIndicator} named {@code vpp}. Every {@code samplePeriodSeconds} it reads the control loop's latest
 * cycle, starts and ends events, publishes each event's report on {@value #REPORTS_TOPIC} and, every
 * {@code flexibilityPublishSeconds}, the flexibility on {@value #FLEXIBILITY_TOPIC}.
 */
@Component(service = { GridSignalSource.class, CloudRequestHandler.class, HealthIndicator.class }, configurationPid = VppService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = VppConfig.class)
public final class VppService implements GridSignalSource, CloudRequestHandler, HealthIndicator {

    static final String PID = "fusebox.vpp";
    static final String REPORTS_TOPIC = "vpp/reports";
    static final String FLEXIBILITY_TOPIC = "vpp/flexibility";
    private static final Logger LOG = LoggerFactory.getLogger(VppService.class);

    private final Clock fallbackClock;
    private final boolean schedule;
    private final VppParticipant participant = new VppParticipant(VppSettings.DEFAULTS);
    private final VppRequests requests = new VppRequests(participant, this::publishReport);

    private volatile String configError;
    private volatile String tickError;
    private volatile String publishError;
    private Instant lastFlexibilityPublished;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> task;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ControlLoop controlLoop;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile CloudPublisher publisher;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    /** The simulator's clock when it runs faster than real time: dispatches and samples follow site time. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = SiteClock.FILTER)
    volatile Clock siteClock;

    public VppService() {
        this(Clock.systemUTC(), true);
    }

    /** For tests: {@code schedule=false} runs no thread; the test calls {@link #tick()}. */
    VppService(Clock clock, boolean schedule) {
        this.fallbackClock = clock;
        this.schedule = schedule;
    }

    @Activate
    @Modified
    synchronized void activate(VppConfig config) {
        VppSettings before = participant.settings();
        try {
            VppSettings s = VppSettings.from(config);
            participant.settings(s);
            configError = null;
            LOG.info("VPP participant configured: {}", s);
        } catch (RuntimeException e) {
            // out of range (IllegalArgumentException), or a value the runtime could not convert to its type
            configError = "configuration " + PID + " refused, the previous one stays in force: " + e.getMessage();
            LOG.error(configError);
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage())));
            }
        }
        if (schedule && (task == null || !before.samplePeriod().equals(participant.settings().samplePeriod()))) {
            if (executor == null) {
                executor = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "fusebox-vpp");
                    t.setDaemon(true);
                    return t;
                });
            }
            if (task != null) {
                task.cancel(false);
            }
            long ms = participant.settings().samplePeriod().toMillis();
            task = executor.scheduleWithFixedDelay(this::tickSafely, 0, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
            task = null;
        }
    }

    Instant now() {
        Clock c = siteClock;
        return (c != null ? c : fallbackClock).instant();
    }

    private void tickSafely() {
        try {
            tick();
            tickError = null;
        } catch (RuntimeException e) {
            tickError = "the last sample failed: " + e;
            LOG.error("VPP sample failed", e);
        }
    }

    /** One sample: the latest cycle, events that start or end, the flexibility when due. */
    void tick() {
        Instant now = now();
        ControlLoop loop = controlLoop;
        if (loop != null) {
            loop.lastCycle().ifPresent(participant::onCycle);
        }
        for (EventReport r : participant.tick(now)) {
            publishReport(r);
        }
        VppSettings s = participant.settings();
        if (!s.publishPeriod().isZero() && (lastFlexibilityPublished == null
                || !now.isBefore(lastFlexibilityPublished.plus(s.publishPeriod())))) {
            Optional<FlexibilityCalculator> c = participant.calculator(now);
            if (c.isPresent()) {
                lastFlexibilityPublished = now;
                publish(FLEXIBILITY_TOPIC, VppJson.bytes(VppJson.flexibility(c.get(), s)), MessagePriority.TELEMETRY, 0);
            }
        }
    }

    private void publishReport(EventReport r) {
        LOG.info("VPP dispatch {} ended: {}", r.id(), r);
        publish(REPORTS_TOPIC, VppJson.bytes(VppJson.report(r)), MessagePriority.EVENT, 1);
    }

    private void publish(String topic, byte[] payload, MessagePriority priority, int qos) {
        CloudPublisher p = publisher;
        if (p == null) {
            publishError = "no cloud link: " + topic + " not published (reports stay available to GET reports)";
            return;
        }
        p.publishAsync(new CloudMessage(topic, payload, qos, false, priority)).whenComplete((id, err) -> {
            if (err != null) {
                publishError = "publishing on " + topic + " failed: " + err.getMessage();
                LOG.warn(publishError);
            } else {
                publishError = null;
            }
        });
    }

    @Override
    public String id() {
        return VppParticipant.SOURCE;
    }

    @Override
    public List<GridSignal> signals() {
        return participant.signals();
    }

    @Override
    public String app() {
        return VppRequests.APP;
    }

    @Override
    public CloudResponse handle(CloudRequest request, RequestProgress progress) {
        return requests.handle(request, now());
    }

    @Override
    public String name() {
        return "vpp";
    }

    @Override
    public Health health() {
        String c = configError;
        if (c != null) {
            return Health.degraded(c);
        }
        if (controlLoop == null) {
            return Health.degraded("no control loop: no flexibility is offered and no delivery can be measured");
        }
        String t = tickError;
        if (t != null) {
            return Health.degraded(t);
        }
        String p = publishError;
        if (p != null) {
            return Health.degraded(p);
        }
        return Health.up();
    }

    VppParticipant participant() {
        return participant;
    }
}

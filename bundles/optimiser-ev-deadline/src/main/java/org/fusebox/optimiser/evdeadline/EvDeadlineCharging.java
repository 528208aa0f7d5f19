package org.fusebox.optimiser.evdeadline;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Optimiser;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.site.SiteSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
 * The economic-tier optimiser that charges every EV by its departure at least cost. It only plans; the
 * fuse optimiser and the SafetyGuard, applied after it, cut whatever does not fit.
 *
 * <p>The batteries' plans come from the latest cycle report ({@link ControlLoop#lastCycle()}): the battery
 * plan is taken as given and the EVs get the rest. The reference is optional and dynamic because the core,
 * which provides the control loop, also references every optimiser.
 */
@Component(service = { Optimiser.class, HealthIndicator.class }, configurationPid = EvDeadlineCharging.PID, immediate = true)
@Designate(ocd = EvDeadlineConfig.class)
public final class EvDeadlineCharging implements Optimiser, HealthIndicator {

    static final String PID = "fusebox.optimiser.evdeadline";
    private static final Logger LOG = LoggerFactory.getLogger(EvDeadlineCharging.class);

    private final SitePlanning planning = new SitePlanning();
    private volatile EvDeadlineSettings settings = EvDeadlineSettings.DEFAULTS;
    private volatile String configError;
    private volatile EventAdmin eventAdmin;
    private volatile ControlLoop controlLoop;
    private volatile Plan latestPlan;
    /** The zone the plan's notes give clock times in: the gateway's own, which is the site's. */
    private final ZoneId zone;

    public EvDeadlineCharging() {
        this(ZoneId.systemDefault());
    }

    EvDeadlineCharging(ZoneId zone) {
        this.zone = zone;
    }

    @Activate
    @Modified
    void configure(EvDeadlineConfig config) {
        try {
            settings = EvDeadlineSettings.from(config);
            configError = null;
        } catch (IllegalArgumentException e) {
            configError = "configuration " + PID + " refused, previous one stays in force: " + e.getMessage();
            LOG.error(configError);
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage())));
            }
        }
    }

    EvDeadlineSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return SitePlanning.NAME;
    }

    @Override
    public Tier tier() {
        return Tier.ECONOMIC;
    }

    @Override
    public Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
        SitePlanning.Outcome outcome = planning.plan(site, proposal, settings, zone, latestPlans());
        latestPlan = outcome.plan();
        return outcome.setpoints();
    }

    /** The plans of the latest completed cycle; none without a control loop. */
    private List<Plan> latestPlans() {
        ControlLoop loop = controlLoop;
        if (loop == null) {
            return List.of();
        }
        try {
            return loop.lastCycle().map(CycleReport::plans).orElse(List.of());
        } catch (RuntimeException e) {
            // Planning without the battery's plan beats not planning; the note says none was used.
            LOG.warn("{}: could not read the latest cycle: {}", PID, e.toString());
            return List.of();
        }
    }

    /** The plan behind the latest {@link #optimise} call: per EV its power per slot, energy, cost and shortfall. */
    @Override
    public Optional<Plan> plan() {
        return Optional.ofNullable(latestPlan);
    }

    @Override
    public Health health() {
        String e = configError;
        return e == null ? Health.up() : Health.degraded(e);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void unsetEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setControlLoop(ControlLoop loop) {
        controlLoop = loop;
    }

    void unsetControlLoop(ControlLoop loop) {
        if (controlLoop == loop) {
            controlLoop = null;
        }
    }
}

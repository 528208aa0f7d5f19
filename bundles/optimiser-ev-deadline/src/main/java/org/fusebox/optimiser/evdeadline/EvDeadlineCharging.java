package org.fusebox.optimiser.evdeadline;

import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
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
        SitePlanning.Outcome outcome = planning.plan(site, proposal, settings, zone);
        latestPlan = outcome.plan();
        return outcome.setpoints();
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
}

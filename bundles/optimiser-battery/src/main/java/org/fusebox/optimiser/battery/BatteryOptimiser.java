package org.fusebox.optimiser.battery;

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
 * The economic-tier battery scheduler: plans each battery over the known prices and forecasts and sets
 * the current slot's power. The SafetyGuard, applied after it, still clamps SoC, ratings and the fuse.
 */
@Component(service = { Optimiser.class, HealthIndicator.class }, configurationPid = BatteryOptimiser.PID, immediate = true)
@Designate(ocd = BatteryConfig.class)
public final class BatteryOptimiser implements Optimiser, HealthIndicator {

    static final String PID = "fusebox.optimiser.battery";
    private static final Logger LOG = LoggerFactory.getLogger(BatteryOptimiser.class);

    private final BatteryPlanning planning = new BatteryPlanning();
    private volatile BatterySettings settings = BatterySettings.DEFAULTS;
    private volatile String configError;
    private volatile EventAdmin eventAdmin;
    private volatile Plan lastPlan;

    @Activate
    @Modified
    void configure(BatteryConfig config) {
        try {
            settings = BatterySettings.from(config);
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

    BatterySettings settings() {
        return settings;
    }

    BatteryPlanning planning() {
        return planning;
    }

    @Override
    public String name() {
        return BatteryPlanning.NAME;
    }

    @Override
    public Tier tier() {
        return Tier.ECONOMIC;
    }

    @Override
    public synchronized Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
        BatteryPlanning.Result r = planning.optimise(site, proposal, settings);
        lastPlan = r.plan();
        return r.setpoints();
    }

    @Override
    public Optional<Plan> plan() {
        return Optional.ofNullable(lastPlan);
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

package org.fusebox.optimiser.fuse;

import java.util.List;
import org.fusebox.api.control.Optimiser;
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

/** The physical-tier optimiser that keeps EV charging under the fuse and shares it fairly. */
@Component(service = { Optimiser.class, HealthIndicator.class }, configurationPid = "fusebox.optimiser.fuse", immediate = true)
@Designate(ocd = FuseConfig.class)
public final class FuseProtection implements Optimiser, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(FuseProtection.class);

    private final FuseSharing sharing = new FuseSharing();
    private volatile FuseSettings settings = FuseSettings.DEFAULTS;
    private volatile String configError;
    private volatile EventAdmin eventAdmin;

    @Activate
    @Modified
    void configure(FuseConfig config) {
        try {
            settings = FuseSettings.from(config);
            configError = null;
        } catch (IllegalArgumentException e) {
            configError = "configuration fusebox.optimiser.fuse refused, previous one stays in force: " + e.getMessage();
            LOG.error(configError);
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED,
                        java.util.Map.of(FuseboxEvents.PID, "fusebox.optimiser.fuse", FuseboxEvents.REASON, e.getMessage())));
            }
        }
    }

    @Override
    public String name() {
        return "fuse";
    }

    @Override
    public Tier tier() {
        return Tier.PHYSICAL;
    }

    @Override
    public Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
        return sharing.share(site, proposal, settings);
    }

    @Override
    public Health health() {
        String e = configError;
        return e == null ? Health.up() : new Health(org.fusebox.api.health.HealthStatus.DEGRADED, List.of(e));
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

package org.fusebox.optimiser.evdeadline;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
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
import org.osgi.framework.BundleContext;
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
    private volatile ArrivalSettings arrivalSettings = ArrivalSettings.DEFAULTS;
    private final SessionWatch sessions = new SessionWatch();
    /** Where the arrival profile is kept; none outside a framework (then it lives in memory only). */
    private volatile Path profileFile;
    private volatile ArrivalProfile profile;
    /** The zone the plan's notes give clock times in; null: the site's ({@link SiteSnapshot#zone()}). */
    private final ZoneId zone;

    public EvDeadlineCharging() {
        this(null);
    }

    EvDeadlineCharging(ZoneId zone) {
        this.zone = zone;
    }

    @Activate
    void activate(BundleContext context, EvDeadlineConfig config) {
        File area = context == null ? null : context.getDataFile("");
        start(area == null ? null : area.toPath().resolve(PROFILE_FILE), config);
    }

    static final String PROFILE_FILE = "arrivals.txt";

    /** Starts with the arrival profile in {@code file} (none: in memory only). */
    void start(Path file, EvDeadlineConfig config) {
        profileFile = file;
        configure(config);
        ZoneId zone = siteZone(null);
        LocalDate today = Instant.now().atZone(zone).toLocalDate();
        if (file == null) {
            profile = new ArrivalProfile(today);
            return;
        }
        try {
            profile = ArrivalProfile.load(file, today);
            LOG.info("{}: arrival profile with {} sessions learned since {}", PID, profile.sessions().size(), profile.since());
        } catch (IOException e) {
            LOG.error("{}: arrival profile refused, learning again from today: {}", PID, e.getMessage());
            try {
                Files.move(file, file.resolveSibling(PROFILE_FILE + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("{}: could not keep the damaged profile aside: {}", PID, moveFailed.toString());
            }
            profile = new ArrivalProfile(today);
        }
    }

    ArrivalProfile profile() {
        return profile;
    }

    /**
     * The site's time zone, in which arrivals are learned: {@code siteZone} when configured, else the
     * snapshot's ({@link SiteSnapshot#zone()}); before any snapshot, the gateway's.
     */
    private ZoneId siteZone(SiteSnapshot site) {
        ZoneId configured = arrivalSettings.zone();
        if (configured != null) {
            return configured;
        }
        return site != null ? site.zone() : ZoneId.systemDefault();
    }

    @Modified
    void configure(EvDeadlineConfig config) {
        try {
            EvDeadlineSettings next = EvDeadlineSettings.from(config);
            ArrivalSettings arrivals = ArrivalSettings.from(config);
            settings = next;
            arrivalSettings = arrivals;
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

    ArrivalSettings arrivalSettings() {
        return arrivalSettings;
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
        List<ExpectedArrival> expected = expectedArrivals(site);
        SitePlanning.Outcome outcome = planning.plan(site, proposal, settings, zone != null ? zone : site.zone(), latestPlans(),
                expected);
        latestPlan = outcome.plan();
        return outcome.setpoints();
    }

    /** Learns from the sessions that ended since the last cycle; the arrivals expected over the horizon. */
    private List<ExpectedArrival> expectedArrivals(SiteSnapshot site) {
        ArrivalSettings a = arrivalSettings;
        ArrivalProfile p = profile;
        if (p == null) {
            p = new ArrivalProfile(site.timestamp().atZone(siteZone(site)).toLocalDate());
            profile = p;
        }
        List<SessionWatch.Ended> ended = sessions.update(site);
        if (!a.enabled()) {
            return List.of();
        }
        ZoneId zone = siteZone(site);
        if (!ended.isEmpty()) {
            for (SessionWatch.Ended e : ended) {
                p.add(e.pluggedIn(), e.left(), e.energyKwh(), e.maxKw(), zone);
            }
            p.forgetBefore(site.timestamp().atZone(zone).toLocalDate().minusWeeks(a.weeks()));
            Path file = profileFile;
            if (file != null) {
                try {
                    p.save(file);
                } catch (IOException e) {
                    LOG.warn("{}: could not save the arrival profile to {}: {}", PID, file, e.toString());
                }
            }
        }
        return p.expected(site.timestamp(), site.timestamp().plus(SitePlanning.HORIZON), a, zone);
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

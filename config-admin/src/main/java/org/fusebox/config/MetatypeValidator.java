package org.fusebox.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every Fusebox configuration (PIDs starting with {@code fusebox.}) and checks it against the
 * Metatype of the bundle that defines it, ours or a third party's. Problems are logged, posted on
 * EventAdmin and shown in the health of {@code config} until a valid configuration replaces them. The
 * components themselves refuse what they cannot use and keep their previous configuration; this check
 * gives one place that lists every problem on the site.
 */
@Component(service = { ConfigurationListener.class, HealthIndicator.class }, immediate = true)
public final class MetatypeValidator implements ConfigurationListener, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(MetatypeValidator.class);
    static final String PREFIX = "fusebox.";

    private final Map<String, List<String>> problems = new ConcurrentHashMap<>();
    private final ConfigurationAdmin configAdmin;
    private final MetatypeLookup metatypes;
    private volatile EventAdmin eventAdmin;

    @Activate
    public MetatypeValidator(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference MetaTypeService metaTypes) {
        this.configAdmin = configAdmin;
        this.metatypes = new MetatypeLookup(context, metaTypes);
        try {
            Configuration[] all = configAdmin.listConfigurations("(service.pid=" + PREFIX + "*)");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                check(c.getPid(), c.getFactoryPid());
            }
        } catch (Exception e) {
            LOG.warn("Could not list configurations to check: {}", e.toString());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (!pid.startsWith(PREFIX)) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            problems.remove(pid);
        } else {
            check(pid, event.getFactoryPid());
        }
    }

    private void check(String pid, String factoryPid) {
        try {
            Configuration c = configAdmin.getConfiguration(pid, null);
            if (c.getProperties() == null) {
                problems.remove(pid);
                return;
            }
            Optional<ObjectClassDefinition> ocd = metatypes.definitionOf(pid, factoryPid);
            if (ocd.isEmpty()) {
                problems.remove(pid); // nobody has defined it (yet): the bundle may not be installed
                return;
            }
            List<String> found = ConfigurationCheck.problems(pid, c.getProperties(), ocd.get());
            if (found.isEmpty()) {
                if (problems.remove(pid) != null) {
                    LOG.info("Configuration {} is valid again", pid);
                }
            } else {
                problems.put(pid, found);
                found.forEach(p -> LOG.error("Invalid configuration {}", p));
                EventAdmin ea = eventAdmin;
                if (ea != null) {
                    ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED,
                            Map.of(FuseboxEvents.PID, pid, FuseboxEvents.REASON, String.join("; ", found))));
                }
            }
        } catch (Exception e) {
            LOG.warn("Could not check configuration {}: {}", pid, e.toString());
        }
    }

    @Override
    public String name() {
        return "config";
    }

    @Override
    public Health health() {
        List<String> details = new ArrayList<>();
        problems.values().forEach(details::addAll);
        return details.isEmpty() ? Health.up() : new Health(HealthStatus.DEGRADED, details);
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

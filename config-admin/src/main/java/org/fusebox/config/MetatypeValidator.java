package org.fusebox.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.osgi.service.component.annotations.Deactivate;
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

    /** How often every configuration is checked again: a bundle installed since may have brought its Metatype. */
    static final long RECHECK_SECONDS = 30;
    /**
     * Configurations the site cannot run without: deleting one (its file removed, say) leaves the component
     * with no safety limits at all, which is said here rather than left to a default.
     */
    static final Set<String> REQUIRED = Set.of("fusebox.core");
    static final String FILE_KEY = "felix.fileinstall.filename";

    private final Map<String, List<String>> problems = new ConcurrentHashMap<>();

    private final ConfigurationAdmin configAdmin;
    private final MetatypeLookup metatypes;
    private final LastValidStore lastValid;
    private final SecretPolicy masking = new SecretPolicy(SecretPolicy.DEFAULT_WORDS);
    private final ScheduledExecutorService timer;
    private volatile EventAdmin eventAdmin;

    @Activate
    public MetatypeValidator(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference MetaTypeService metaTypes) {
        this.configAdmin = configAdmin;
        this.metatypes = new MetatypeLookup(context, metaTypes);
        this.lastValid = new LastValidStore(lastValidDirectory(context.getProperty("karaf.data")));
        checkAll();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusebox-config-recheck");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkAll, RECHECK_SECONDS, RECHECK_SECONDS, TimeUnit.SECONDS);
    }

    static Path lastValidDirectory(String karafData) {
        Path data = karafData == null || karafData.isBlank() ? Path.of("data") : Path.of(karafData);
        return data.toAbsolutePath().normalize().resolve("fusebox").resolve("config-last-valid");
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void checkAll() {
        try {
            Configuration[] all = configAdmin.listConfigurations("(service.pid=" + PREFIX + "*)");
            Set<String> present = new HashSet<>();
            for (Configuration c : all == null ? new Configuration[0] : all) {
                present.add(c.getPid());
                check(c.getPid(), c.getFactoryPid());
            }
            for (String pid : REQUIRED) {
                if (!present.contains(pid)) {
                    missing(pid);
                }
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
            if (REQUIRED.contains(pid)) {
                missing(pid);
            }
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
            Object file = c.getProperties().get(FILE_KEY);
            String from = file == null ? "" : fileName(String.valueOf(file)) + ": ";
            List<String> found = new ArrayList<>(ConfigurationCheck.problems(pid, c.getProperties(), ocd.get()).stream().map(p -> from + p).toList());
            if (found.isEmpty()) {
                lastValid.keep(pid, factoryPid, asMap(c.getProperties()));
                if (problems.remove(pid) != null) {
                    LOG.info("Configuration {} is valid again", pid);
                }
            } else {
                found.add(lastValid.get(pid)
                        .map(k -> pid + ": last valid configuration (valid at " + k.validAt() + "): "
                                + Describe.properties(k.properties(), masking, ocd))
                        .orElse(pid + ": no valid configuration has been seen"));
                List<String> before = problems.put(pid, found);
                if (found.equals(before)) {
                    return; // checked again, nothing new: logged and posted already
                }
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

    /** A required configuration that is not there; reported only once one was seen valid (else it is a fresh site). */
    private void missing(String pid) {
        lastValid.get(pid).ifPresent(k -> {
            List<String> found = List.of(pid + ": there is no configuration (was etc/" + pid + ".cfg deleted?), so its limits are"
                    + " not configured; last valid configuration (valid at " + k.validAt() + "): "
                    + Describe.properties(k.properties(), masking, metatypes.definitionOf(pid, null)));
            if (!found.equals(problems.put(pid, found))) {
                LOG.error("Configuration {}", found.get(0));
            }
        });
    }

    /** file install keeps the file as a URL or a path; health names only the file. */
    static String fileName(String location) {
        int slash = Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\'));
        return location.substring(slash + 1);
    }

    private static Map<String, Object> asMap(Dictionary<String, Object> d) {
        Map<String, Object> out = new HashMap<>();
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            out.put(k, d.get(k));
        }
        return out;
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

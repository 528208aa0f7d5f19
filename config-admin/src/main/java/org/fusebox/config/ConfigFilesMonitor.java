package org.fusebox.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the {@code etc/fusebox.*.cfg} files themselves every few seconds, since what file install
 * cannot read or cannot place never reaches Config Admin: files with broken syntax (file and line),
 * files whose PID nothing defines, secrets in clear and secret files others can read. Health of
 * {@code config.files}: DEGRADED with every reason until the files are fixed.
 */
@Component(service = HealthIndicator.class, immediate = true)
public final class ConfigFilesMonitor implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFilesMonitor.class);
    static final long PERIOD_SECONDS = 3;

    private final ConfigurationAdmin configAdmin;
    private final MetatypeLookup metatypes;
    private final Path etc;
    private final Path secretsDir;
    private final SecretPolicy masking = new SecretPolicy(SecretPolicy.DEFAULT_WORDS);
    private final ScheduledExecutorService timer;
    private volatile ConfigFilesCheck.Report report = new ConfigFilesCheck.Report(List.of(), List.of());
    private final Set<String> reported = new LinkedHashSet<>();
    private volatile EventAdmin eventAdmin;

    @Activate
    public ConfigFilesMonitor(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference MetaTypeService metaTypes) {
        this.configAdmin = configAdmin;
        this.metatypes = new MetatypeLookup(context, metaTypes);
        String etcDir = context.getProperty("karaf.etc");
        this.etc = Path.of(etcDir == null ? "etc" : etcDir).toAbsolutePath().normalize();
        String secrets = context.getProperty(SecretExposure.SECRETS_DIR_PROPERTY);
        this.secretsDir = secrets == null || secrets.isBlank() ? null : Path.of(secrets).toAbsolutePath().normalize();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusebox-config-files");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::scan, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    void scan() {
        try {
            MetatypeLookup.Definitions defs = metatypes.load();
            ConfigFilesCheck.Report r = ConfigFilesCheck.evaluate(ConfigFileReader.readAll(etc), defs, defs.pids(), this::current, masking, secretsDir);
            announce(r.problems());
            report = r;
        } catch (Exception e) {
            LOG.warn("Could not check the configuration files in {}: {}", etc, e.toString());
        }
    }

    /** Logs and posts each problem once, when it appears, and says when the files are clean again. */
    private void announce(List<String> problems) {
        synchronized (reported) {
            for (String p : problems) {
                if (reported.add(p)) {
                    LOG.error("Configuration file problem: {}", p);
                    EventAdmin ea = eventAdmin;
                    if (ea != null) {
                        ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, pidOf(p), FuseboxEvents.REASON, p)));
                    }
                }
            }
            if (reported.retainAll(problems) && problems.isEmpty()) {
                LOG.info("The configuration files in {} are readable and known again", etc);
            }
        }
    }

    private static String pidOf(String problem) {
        String file = problem.split("[ :]", 2)[0];
        return file.endsWith(ConfigFileReader.SUFFIX) ? file.substring(0, file.length() - ConfigFileReader.SUFFIX.length()) : file;
    }

    private Optional<Map<String, Object>> current(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return Optional.empty();
            }
            Map<String, Object> out = new HashMap<>();
            Dictionary<String, Object> d = found[0].getProperties();
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                out.put(k, d.get(k));
            }
            return Optional.of(out);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public String name() {
        return "config.files";
    }

    @Override
    public Health health() {
        ConfigFilesCheck.Report r = report;
        List<String> details = new ArrayList<>(r.problems());
        details.addAll(r.notes());
        return new Health(r.problems().isEmpty() ? HealthStatus.UP : HealthStatus.DEGRADED, details);
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

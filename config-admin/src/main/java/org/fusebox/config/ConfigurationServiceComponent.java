package org.fusebox.config;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.config.api.ChangeOutcome;
import org.fusebox.config.api.ConfigurationChange;
import org.fusebox.config.api.ConfigurationRecord;
import org.fusebox.config.api.ConfigurationService;
import org.fusebox.config.api.SnapshotInfo;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConfigurationService} of the site, configured by {@code fusebox.config}. A refused set of
 * changes is logged and posted as {@code fusebox/config/REJECTED}; a refused configuration of this
 * component keeps the settings in force before (the defaults at first) and shows in the health of
 * {@code config.store}, as does a snapshot that could not be written.
 */
@Component(service = { ConfigurationService.class, HealthIndicator.class }, configurationPid = ConfigurationServiceComponent.PID, immediate = true)
@Designate(ocd = ConfigServiceConfig.class)
public final class ConfigurationServiceComponent implements ConfigurationService, HealthIndicator {

    static final String PID = "fusebox.config";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationServiceComponent.class);

    private final ConfigurationEngine engine;
    private volatile String settingsError;
    private volatile String storeError;
    private volatile EventAdmin eventAdmin;

    @Activate
    public ConfigurationServiceComponent(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference MetaTypeService metaTypes,
            ConfigServiceConfig config) {
        ConfigServiceSettings initial = ConfigServiceSettings.defaults(System.getProperty("karaf.data"));
        MetatypeLookup lookup = new MetatypeLookup(context, metaTypes);
        engine = new ConfigurationEngine(configAdmin, lookup::load, new SecretPolicy(initial.maskedNames()),
                new SnapshotStore(initial.snapshotDirectory(), initial.keepSnapshots(), Clock.systemUTC()));
        configure(config);
    }

    @Modified
    void configure(ConfigServiceConfig config) {
        ConfigServiceSettings s;
        try {
            s = ConfigServiceSettings.from(config, System.getProperty("karaf.data"));
        } catch (IllegalArgumentException e) {
            settingsError = "configuration " + PID + " refused, the previous settings stay in force: " + e.getMessage();
            LOG.error(settingsError);
            post(PID, e.getMessage());
            return;
        }
        engine.reconfigure(new SecretPolicy(s.maskedNames()), new SnapshotStore(s.snapshotDirectory(), s.keepSnapshots(), Clock.systemUTC()));
        settingsError = null;
        LOG.info("Configuration snapshots in {}, {} kept", s.snapshotDirectory(), s.keepSnapshots());
    }

    private ChangeOutcome report(ChangeOutcome outcome) {
        switch (outcome.status()) {
            case REFUSED -> {
                LOG.warn("Configuration changes refused, nothing applied: {}", outcome.problems());
                post(String.join(",", outcome.problems().stream().map(p -> p.split(":", 2)[0])
                        .filter(p -> p.startsWith(ConfigurationEngine.PREFIX)).distinct().toList()),
                        String.join("; ", outcome.problems()));
            }
            case FAILED -> {
                storeError = "last change failed and was undone: " + String.join("; ", outcome.problems());
                post("", String.join("; ", outcome.problems()));
            }
            case APPLIED -> storeError = null;
            default -> {
            }
        }
        return outcome;
    }

    private void post(String pids, String reason) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, pids, FuseboxEvents.REASON, reason)));
        }
    }

    @Override
    public List<ConfigurationRecord> list() {
        return engine.list();
    }

    @Override
    public Optional<ConfigurationRecord> get(String pid) {
        return engine.get(pid);
    }

    @Override
    public ChangeOutcome validate(List<ConfigurationChange> changes) {
        return engine.validate(changes);
    }

    @Override
    public ChangeOutcome apply(List<ConfigurationChange> changes) {
        return report(engine.apply(changes));
    }

    @Override
    public ChangeOutcome delete(String pid) {
        return report(engine.delete(pid));
    }

    @Override
    public SnapshotInfo snapshot(String reason) throws IOException {
        try {
            SnapshotInfo info = engine.snapshot(reason);
            storeError = null;
            return info;
        } catch (IOException e) {
            storeError = "a snapshot could not be written: " + e;
            throw e;
        }
    }

    @Override
    public List<SnapshotInfo> snapshots() {
        return engine.snapshots();
    }

    @Override
    public ChangeOutcome rollback(String snapshotId) {
        return report(engine.rollback(snapshotId));
    }

    @Override
    public String exportSite() {
        return engine.exportSite();
    }

    @Override
    public ChangeOutcome importSite(String document) {
        return report(engine.importSite(document));
    }

    @Override
    public String name() {
        return "config.store";
    }

    @Override
    public Health health() {
        String a = settingsError;
        String b = storeError;
        if (a == null && b == null) {
            return Health.up();
        }
        return a != null && b != null ? Health.degraded(a, b) : Health.degraded(a != null ? a : b);
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

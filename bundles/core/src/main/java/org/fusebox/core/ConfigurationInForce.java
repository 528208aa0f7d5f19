package org.fusebox.core;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.fusebox.api.event.FuseboxEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which core configuration is in force, whatever path it came by (an etc/ file, Config Admin, a
 * restart), and says why:
 * <ul>
 * <li>a valid configuration is in force, and is kept in the bundle's data area as the last valid one;</li>
 * <li>an invalid one (a value out of range, a typo, garbage) is refused: the last valid one stays in force,
 * also after a restart, and health says so;</li>
 * <li>a configuration without {@code fuseLimitAmps} (the key gone, or the whole configuration deleted) is
 * "not configured": nothing is in force, the loop holds the site in failsafe until a fuse limit is set. No
 * earlier value stands in for a fuse limit someone removed.</li>
 * </ul>
 * Every change of a safety limit in force is logged with old value, new value and source, and posted as
 * {@link FuseboxEvents#SAFETY_LIMIT_CHANGED}.
 */
final class ConfigurationInForce {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationInForce.class);
    static final String PID = "fusebox.core";
    /** Set by fileinstall on a configuration it read from a file. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final LastValidStore store;
    private final BiConsumer<String, Map<String, ?>> events;
    private final Clock wallClock;

    private CoreSettings inForce;
    private CoreSettings lastValid;
    private Instant lastValidAt;
    private String lastValidSource;
    private List<String> problems = List.of();

    /**
     * @param store  where the last valid configuration is kept across restarts, or {@code null} for none
     * @param events posts an EventAdmin event (topic, properties)
     */
    ConfigurationInForce(LastValidStore store, BiConsumer<String, Map<String, ?>> events, Clock wallClock) {
        this.store = store;
        this.events = events;
        this.wallClock = wallClock;
    }

    /** The configuration the component starts with; the last valid one from before the restart is loaded first. */
    synchronized void activate(Map<String, ?> properties) {
        List<String> storeProblems = new ArrayList<>();
        loadLastValid(storeProblems);
        // What was enforced before this start, as far as the core knows: changes are announced against it.
        CoreSettings before = lastValid;
        apply(properties, before, true);
        if (!storeProblems.isEmpty()) {
            List<String> all = new ArrayList<>(problems);
            all.addAll(storeProblems);
            problems = List.copyOf(all);
        }
    }

    /** A new configuration (or none: the configuration was deleted) while running. */
    synchronized void update(Map<String, ?> properties) {
        apply(properties, inForce, false);
    }

    /** The settings in force, or {@code null} when the site has no valid or no fuse configuration. */
    synchronized CoreSettings settings() {
        return inForce;
    }

    /** What is wrong with the configuration, for health and the loop's state; empty when all is well. */
    synchronized List<String> problems() {
        return problems;
    }

    private void apply(Map<String, ?> properties, CoreSettings before, boolean atStart) {
        String source = sourceOf(properties);
        String inForceSource;
        try {
            CoreSettings s = CoreSettings.from(properties);
            inForce = s;
            problems = List.of();
            inForceSource = source;
            remember(s, source);
        } catch (CoreSettings.InvalidConfigurationException e) {
            List<String> why = new ArrayList<>();
            if (e.fuseMissing()) {
                inForce = null;
                inForceSource = source;
                e.reasons().forEach(r -> why.add("configuration " + PID + ": " + r));
                why.add("not configured: every EV is paused and batteries idle until " + CoreSettings.FUSE + " is set");
                LOG.error("Configuration {} from {} has no {}: the site is held in failsafe until one is set. {}", PID, source,
                        CoreSettings.FUSE, e.getMessage());
            } else {
                inForce = lastValid;
                inForceSource = lastValid == null ? source : "last valid configuration of " + lastValidAt;
                String prefix = atStart ? PID + " on disk refused: " : "configuration " + PID + " refused: ";
                e.reasons().forEach(r -> why.add(prefix + r));
                why.add(lastValid == null ? "no valid configuration: every EV is paused and batteries idle"
                        : "running on the last valid configuration of " + lastValidAt + " (" + lastValidSource + ")");
                LOG.error("Configuration {} from {} refused, {}: {}", PID, source,
                        lastValid == null ? "no valid configuration yet, holding the site in failsafe"
                                : "running on the last valid configuration of " + lastValidAt,
                        e.getMessage());
            }
            problems = List.copyOf(why);
            events.accept(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage()));
        }
        announceChanges(before, inForce, inForceSource);
    }

    /** Keeps {@code s} as the last valid configuration, in memory and on disk, unless it is the one kept already. */
    private void remember(CoreSettings s, String source) {
        if (lastValid != null && lastValid.values().equals(s.values())) {
            return;
        }
        lastValid = s;
        lastValidAt = wallClock.instant();
        lastValidSource = source;
        if (store != null) {
            try {
                store.save(s, lastValidAt, source);
            } catch (IOException | RuntimeException e) {
                LOG.error("The last valid configuration could not be kept in {}: {}", store.file(), e.toString());
            }
        }
    }

    private void loadLastValid(List<String> storeProblems) {
        if (store == null) {
            return;
        }
        try {
            Optional<LastValidStore.Stored> stored = store.load();
            if (stored.isEmpty()) {
                return;
            }
            lastValid = CoreSettings.from(stored.get().values());
            lastValidAt = stored.get().acceptedAt();
            lastValidSource = stored.get().source();
        } catch (IOException | RuntimeException e) {
            // Never guessed at: an unreadable copy is no configuration at all.
            LOG.warn("The last valid configuration kept in {} is unusable and ignored: {}", store.file(), e.toString());
            storeProblems.add("the last valid configuration kept in " + store.file() + " is unusable: " + e.getMessage());
        }
    }

    private void announceChanges(CoreSettings before, CoreSettings after, String source) {
        for (String key : CoreSettings.SAFETY_KEYS) {
            String old = CoreSettings.safetyValue(before, key);
            String now = CoreSettings.safetyValue(after, key);
            if (Objects.equals(old, now)) {
                continue;
            }
            if (before == null) {
                LOG.info("Safety limit {} set to {} (was {}), source: {}", key, now, old, source);
            } else {
                LOG.warn("Safety limit {} changed from {} to {}, source: {}", key, old, now, source);
            }
            Map<String, Object> props = new LinkedHashMap<>();
            props.put(FuseboxEvents.KEY, key);
            props.put(FuseboxEvents.OLD, old);
            props.put(FuseboxEvents.NEW, now);
            props.put(FuseboxEvents.SOURCE, source);
            events.accept(FuseboxEvents.SAFETY_LIMIT_CHANGED, props);
        }
    }

    /**
     * Where a configuration came from: the file fileinstall read it from, or else Config Admin (the console's
     * config commands, the configuration service, any bundle), which does not tell who wrote it.
     */
    static String sourceOf(Map<String, ?> properties) {
        Object file = properties == null ? null : properties.get(FILEINSTALL_FILENAME);
        if (file != null) {
            return "file " + file;
        }
        return properties == null || properties.get(CoreSettings.FUSE) == null && !hasOwnKeys(properties)
                ? "configuration admin (no configuration)" : "configuration admin";
    }

    private static boolean hasOwnKeys(Map<String, ?> properties) {
        return properties.keySet().stream().anyMatch(CoreSettings.KEYS::contains);
    }
}

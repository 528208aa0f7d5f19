package org.fusebox.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.fusebox.config.api.ChangeOutcome;
import org.fusebox.config.api.ChangeOutcome.Status;
import org.fusebox.config.api.ConfigurationChange;
import org.fusebox.config.api.ConfigurationRecord;
import org.fusebox.config.api.ConfigurationService;
import org.fusebox.config.api.SnapshotInfo;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole of {@link ConfigurationService} over one Config Admin: every operation that changes something
 * plans the complete set first (resolving masked secrets and checking each configuration against its
 * Metatype), refuses the set when anything is wrong, takes a snapshot, writes, and puts back what it had
 * written when a write fails. One operation runs at a time.
 */
final class ConfigurationEngine implements ConfigurationService {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationEngine.class);
    static final String PREFIX = "fusebox.";
    private static final String FILTER = "(|(service.pid=" + PREFIX + "*)(service.factoryPid=" + PREFIX + "*))";
    /** Where a new configuration may be bound: any bundle, as file install does it. */
    private static final String ANY_LOCATION = "?";

    private final Object lock = new Object();
    private final ConfigurationAdmin configAdmin;
    private final Supplier<MetatypeLookup.Definitions> definitions;
    private SecretPolicy secrets;
    private SnapshotStore store;

    ConfigurationEngine(ConfigurationAdmin configAdmin, Supplier<MetatypeLookup.Definitions> definitions, SecretPolicy secrets,
            SnapshotStore store) {
        this.configAdmin = configAdmin;
        this.definitions = definitions;
        this.secrets = secrets;
        this.store = store;
    }

    /** Takes new settings between operations, never during one. */
    void reconfigure(SecretPolicy newSecrets, SnapshotStore newStore) {
        synchronized (lock) {
            secrets = newSecrets;
            store = newStore;
        }
    }

    SnapshotStore store() {
        synchronized (lock) {
            return store;
        }
    }

    /** Keys Config Admin maintains itself: never written by us. */
    static boolean isManagedByConfigAdmin(String key) {
        return key.equals("service.pid") || key.equals("service.factoryPid") || key.equals("service.bundleLocation");
    }

    /**
     * Keys that belong to this installation rather than to the site's configuration (where file install
     * keeps the file): left out of exports and snapshots, and kept as they are on every write.
     */
    static boolean isLocalKey(String key) {
        return isManagedByConfigAdmin(key) || key.startsWith("felix.fileinstall.") || key.startsWith(".") || key.startsWith(":");
    }

    /** A configuration as it is now. */
    private record Current(Configuration config, String pid, String factoryPid, Map<String, Object> properties, Map<String, Object> local) {

        static Current of(Configuration c, Dictionary<String, Object> dict) {
            Map<String, Object> props = new TreeMap<>();
            Map<String, Object> local = new TreeMap<>();
            for (Enumeration<String> keys = dict.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (isManagedByConfigAdmin(k)) {
                    continue;
                }
                (isLocalKey(k) ? local : props).put(k, ValueCodec.copy(dict.get(k)));
            }
            return new Current(c, c.getPid(), c.getFactoryPid(), props, local);
        }

        Map<String, Object> everything() {
            Map<String, Object> all = new TreeMap<>(properties);
            all.putAll(local);
            return all;
        }

        SiteDocument.Entry entry() {
            return new SiteDocument.Entry(pid, factoryPid, properties, false);
        }
    }

    /** One write of a plan; {@code after == null} deletes. */
    private static final class Step {
        final String pid;
        final String factoryPid;
        final Current before;
        final Map<String, Object> after;
        Configuration written;

        Step(String pid, String factoryPid, Current before, Map<String, Object> after) {
            this.pid = pid;
            this.factoryPid = factoryPid;
            this.before = before;
            this.after = after;
        }

        String writtenPid() {
            return written == null ? pid : written.getPid();
        }
    }

    private record Plan(List<Step> steps, List<String> problems, List<String> notes) {
    }

    // ------------------------------------------------------------------ reading

    private Map<String, Current> readCurrent() throws IOException {
        Configuration[] all;
        try {
            all = configAdmin.listConfigurations(FILTER);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // the filter is a constant
        }
        Map<String, Current> out = new TreeMap<>();
        for (Configuration c : all == null ? new Configuration[0] : all) {
            try {
                Dictionary<String, Object> props = c.getProperties();
                if (props != null) {
                    out.put(c.getPid(), Current.of(c, props));
                }
            } catch (IllegalStateException e) {
                // deleted since it was listed
            }
        }
        return out;
    }

    private Optional<Current> readOne(String pid) throws IOException {
        Configuration[] found;
        try {
            found = configAdmin.listConfigurations("(service.pid=" + escape(pid) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("PID '" + pid + "' cannot be looked up: " + e.getMessage());
        }
        if (found == null || found.length == 0) {
            return Optional.empty();
        }
        Dictionary<String, Object> props = found[0].getProperties();
        return props == null ? Optional.empty() : Optional.of(Current.of(found[0], props));
    }

    private static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private ConfigurationRecord masked(Current c, MetatypeLookup.Definitions defs) {
        Optional<ObjectClassDefinition> ocd = defs.of(c.pid(), c.factoryPid());
        Map<String, Object> props = new TreeMap<>();
        c.properties().forEach((k, v) -> props.put(k, secrets.isSecret(k, ocd) ? MASK : v));
        return new ConfigurationRecord(c.pid(), c.factoryPid(), props);
    }

    @Override
    public List<ConfigurationRecord> list() {
        synchronized (lock) {
            MetatypeLookup.Definitions defs = definitions.get();
            try {
                return readCurrent().values().stream().map(c -> masked(c, defs)).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("Config Admin cannot list configurations", e);
            }
        }
    }

    @Override
    public Optional<ConfigurationRecord> get(String pid) {
        synchronized (lock) {
            try {
                return readOne(pid).filter(c -> isOurs(c.pid(), c.factoryPid())).map(c -> masked(c, definitions.get()));
            } catch (IOException e) {
                throw new UncheckedIOException("Config Admin cannot read " + pid, e);
            }
        }
    }

    private static boolean isOurs(String pid, String factoryPid) {
        return factoryPid != null ? factoryPid.startsWith(PREFIX) : pid.startsWith(PREFIX);
    }

    @Override
    public String exportSite() {
        List<SiteDocument.Entry> entries = list().stream()
                .map(r -> new SiteDocument.Entry(r.pid(), r.factoryPid(), r.properties(), false)).toList();
        return SiteDocument.write(entries, null);
    }

    @Override
    public List<SnapshotInfo> snapshots() {
        return store().list();
    }

    @Override
    public SnapshotInfo snapshot(String reason) throws IOException {
        synchronized (lock) {
            return store.write(readCurrent().values().stream().map(Current::entry).toList(), reason == null ? "" : reason);
        }
    }

    // ------------------------------------------------------------------ changing

    @Override
    public ChangeOutcome validate(List<ConfigurationChange> changes) {
        return run(changes, null, false);
    }

    @Override
    public ChangeOutcome apply(List<ConfigurationChange> changes) {
        return run(changes, "before apply", true);
    }

    @Override
    public ChangeOutcome delete(String pid) {
        return run(List.of(ConfigurationChange.delete(pid)), "before delete of " + pid, true);
    }

    @Override
    public ChangeOutcome rollback(String snapshotId) {
        synchronized (lock) {
            SiteDocument.Parsed snapshot;
            try {
                // read before the new snapshot is taken: pruning may remove this one
                snapshot = store.read(snapshotId);
            } catch (SiteDocument.InvalidDocumentException e) {
                return refused(prefixed("snapshot " + snapshotId + " is damaged: ", e.problems()));
            } catch (IOException e) {
                return new ChangeOutcome(Status.FAILED, List.of("snapshot " + snapshotId + " cannot be read: " + e), List.of(), List.of(), null);
            }
            return replaceSite(snapshot.entries(), "before rollback to " + snapshotId);
        }
    }

    @Override
    public ChangeOutcome importSite(String document) {
        SiteDocument.Parsed parsed;
        try {
            parsed = SiteDocument.read(document, false);
        } catch (SiteDocument.InvalidDocumentException e) {
            return refused(e.problems());
        }
        synchronized (lock) {
            return replaceSite(parsed.entries(), "before import");
        }
    }

    /** Changes that make the site exactly these entries: each is set, every other configuration is deleted. */
    private ChangeOutcome replaceSite(List<SiteDocument.Entry> entries, String reason) {
        Map<String, Current> current;
        try {
            current = readCurrent();
        } catch (IOException e) {
            return new ChangeOutcome(Status.FAILED, List.of("Config Admin cannot list configurations: " + e), List.of(), List.of(), null);
        }
        List<ConfigurationChange> changes = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (SiteDocument.Entry e : entries) {
            wanted.add(e.pid());
            changes.add(new ConfigurationChange(e.pid(), e.factoryPid(), e.properties(), false));
        }
        for (String pid : current.keySet()) {
            if (!wanted.contains(pid)) {
                changes.add(ConfigurationChange.delete(pid));
            }
        }
        return run(changes, reason, true);
    }

    private static ChangeOutcome refused(List<String> problems) {
        return new ChangeOutcome(Status.REFUSED, problems, List.of(), List.of(), null);
    }

    private static List<String> prefixed(String prefix, List<String> lines) {
        return lines.stream().map(l -> prefix + l).toList();
    }

    private ChangeOutcome run(List<ConfigurationChange> changes, String reason, boolean write) {
        Objects.requireNonNull(changes, "changes");
        synchronized (lock) {
            Map<String, Current> current;
            try {
                current = readCurrent();
            } catch (IOException e) {
                return new ChangeOutcome(Status.FAILED, List.of("Config Admin cannot list configurations: " + e), List.of(), List.of(), null);
            }
            Plan plan = plan(changes, current, definitions.get());
            if (!plan.problems().isEmpty()) {
                return new ChangeOutcome(Status.REFUSED, plan.problems(), plan.notes(), List.of(), null);
            }
            if (!write) {
                return new ChangeOutcome(Status.VALID, List.of(), plan.notes(), List.of(), null);
            }
            if (plan.steps().isEmpty()) {
                List<String> notes = new ArrayList<>(plan.notes());
                notes.add("nothing to change: every configuration already has these values");
                return new ChangeOutcome(Status.APPLIED, List.of(), notes, List.of(), null);
            }
            SnapshotInfo snapshot;
            try {
                snapshot = store.write(current.values().stream().map(Current::entry).toList(), reason);
            } catch (IOException | RuntimeException e) {
                return new ChangeOutcome(Status.FAILED,
                        List.of("the snapshot before applying could not be written to " + store.directory() + " (" + e + "); nothing was applied"),
                        plan.notes(), List.of(), null);
            }
            return write(plan, snapshot.id());
        }
    }

    private Plan plan(List<ConfigurationChange> changes, Map<String, Current> current, MetatypeLookup.Definitions defs) {
        List<Step> updates = new ArrayList<>();
        List<Step> deletes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigurationChange change : changes) {
            String pid = change.pid();
            if (pid.isBlank() || pid.chars().anyMatch(Character::isWhitespace)) {
                problems.add("'" + pid + "' is not a PID (empty or with spaces)");
                continue;
            }
            if (!seen.add(pid)) {
                problems.add(pid + ": appears more than once in the set");
                continue;
            }
            Current cur = current.get(pid);
            String factoryPid = change.factoryPid();
            if (cur != null && factoryPid != null && !factoryPid.equals(cur.factoryPid())) {
                problems.add(pid + ": is " + (cur.factoryPid() == null ? "not a factory configuration" : "a configuration of factory " + cur.factoryPid())
                        + ", not of " + factoryPid);
                continue;
            }
            if (cur != null) {
                factoryPid = cur.factoryPid();
            } else if (factoryPid == null && pid.indexOf('~') > 0) {
                factoryPid = pid.substring(0, pid.indexOf('~')); // a named factory configuration
            }
            if (!isOurs(pid, factoryPid)) {
                problems.add(pid + ": only " + PREFIX + "* configurations are managed here");
                continue;
            }
            if (change.delete()) {
                if (cur == null) {
                    problems.add(pid + ": cannot be deleted, there is no such configuration");
                } else {
                    deletes.add(new Step(pid, factoryPid, cur, null));
                }
                continue;
            }
            Optional<ObjectClassDefinition> ocd = defs.of(pid, factoryPid);
            Map<String, Object> after = new TreeMap<>();
            for (Map.Entry<String, Object> p : change.properties().entrySet()) {
                String key = p.getKey();
                if (key == null || key.isBlank()) {
                    problems.add(pid + ": a property has an empty name");
                } else if (isLocalKey(key)) {
                    continue; // this installation's own bookkeeping: kept as it is
                } else if (ValueCodec.problem(p.getValue()) != null) {
                    problems.add(pid + ": " + key + " " + ValueCodec.problem(p.getValue()));
                } else if (MASK.equals(p.getValue()) && secrets.isSecret(key, ocd)) {
                    Object keep = cur == null ? null : cur.properties().get(key);
                    if (keep == null) {
                        problems.add(pid + ": " + key + " is a secret given as the mask, but there is no current value to keep; give the value");
                    } else {
                        after.put(key, keep);
                    }
                } else {
                    after.put(key, ValueCodec.copy(p.getValue()));
                }
            }
            if (ocd.isPresent()) {
                problems.addAll(ConfigurationCheck.problems(pid, new Hashtable<>(after), ocd.get()));
            } else {
                notes.add(pid + ": no installed bundle defines its Metatype, so its values were not checked");
            }
            if (cur == null || !ValueCodec.sameProperties(cur.properties(), after)) {
                updates.add(new Step(pid, factoryPid, cur, after));
            }
        }
        // deletions last: a deleted factory configuration with a generated PID cannot get that PID back
        List<Step> steps = new ArrayList<>(updates);
        steps.addAll(deletes);
        return new Plan(steps, problems, notes);
    }

    private ChangeOutcome write(Plan plan, String snapshotId) {
        List<String> notes = new ArrayList<>(plan.notes());
        List<String> changed = new ArrayList<>();
        List<Step> attempted = new ArrayList<>();
        for (Step step : plan.steps()) {
            attempted.add(step);
            try {
                perform(step, notes);
                changed.add(step.writtenPid());
            } catch (Exception e) {
                List<String> problems = new ArrayList<>();
                problems.add(step.pid + ": could not be " + (step.after == null ? "deleted" : "written") + " (" + e + ")");
                Collections.reverse(attempted);
                for (Step s : attempted) {
                    restore(s, problems, notes);
                }
                notes.add("the configurations written before the failure were restored; snapshot " + snapshotId + " holds the state before");
                LOG.error("Applying {} configuration changes failed, restored the previous values: {}", plan.steps().size(), problems);
                return new ChangeOutcome(Status.FAILED, problems, notes, List.of(), snapshotId);
            }
        }
        LOG.info("Applied configuration changes to {} (snapshot {} taken before)", changed, snapshotId);
        return new ChangeOutcome(Status.APPLIED, List.of(), notes, changed, snapshotId);
    }

    private void perform(Step step, List<String> notes) throws IOException {
        if (step.after == null) {
            step.before.config().delete();
            return;
        }
        Map<String, Object> properties = new TreeMap<>(step.after);
        if (step.before != null) {
            properties.putAll(step.before.local());
            step.written = step.before.config();
        } else {
            step.written = create(step, notes);
        }
        step.written.update(new Hashtable<>(properties));
    }

    private Configuration create(Step step, List<String> notes) throws IOException {
        if (step.factoryPid == null) {
            return configAdmin.getConfiguration(step.pid, ANY_LOCATION);
        }
        String named = step.factoryPid + "~";
        if (step.pid.startsWith(named) && step.pid.length() > named.length()) {
            return configAdmin.getFactoryConfiguration(step.factoryPid, step.pid.substring(named.length()), ANY_LOCATION);
        }
        Configuration c = configAdmin.createFactoryConfiguration(step.factoryPid, ANY_LOCATION);
        notes.add(step.pid + " was created as " + c.getPid() + " (Config Admin generates the PID of an unnamed factory configuration; name it "
                + named + "<name> to keep it)");
        return c;
    }

    /** Puts one attempted step back the way it was, if it is not already. */
    private void restore(Step step, List<String> problems, List<String> notes) {
        try {
            if (step.before == null) {
                if (step.written != null) {
                    step.written.delete();
                }
                return;
            }
            Optional<Current> now = readOne(step.pid);
            if (now.isPresent() && ValueCodec.sameProperties(now.get().everything(), step.before.everything())) {
                return;
            }
            Configuration target = now.isPresent() ? now.get().config() : create(step, notes);
            target.update(new Hashtable<>(step.before.everything()));
        } catch (IllegalStateException e) {
            // already deleted: nothing left to undo for a new configuration
            if (step.before != null) {
                problems.add(step.pid + ": could not be restored (" + e + ")");
            }
        } catch (Exception e) {
            problems.add(step.pid + ": could not be restored (" + e + ")");
        }
    }
}

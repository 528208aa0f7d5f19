package org.fusebox.sessions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.api.site.SiteSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records charging sessions from each completed control cycle (it listens for
 * {@link FuseboxEvents#CYCLE_COMPLETED} and reads the loop's last cycle), keeps the history on disk and
 * answers {@link SessionHistory}. Health {@code sessions}. The service carries the report time zone as the
 * property {@value #ZONE_PROPERTY}.
 */
@Component(service = { SessionHistory.class, HealthIndicator.class, EventHandler.class }, configurationPid = SessionsComponent.PID,
        immediate = true, property = { EventConstants.EVENT_TOPIC + "=" + FuseboxEvents.CYCLE_COMPLETED,
                SessionsComponent.ZONE_PROPERTY + "=UTC" })
@Designate(ocd = SessionsConfig.class)
public final class SessionsComponent implements SessionHistory, HealthIndicator, EventHandler {

    static final String PID = "fusebox.sessions";
    /** The zone report periods are read in; the configuration's {@code reportZone}. */
    static final String ZONE_PROPERTY = "reportZone";

    private static final Logger LOG = LoggerFactory.getLogger(SessionsComponent.class);
    /** How often finished sessions past the retention are pruned. */
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** Superseded lines allowed in the store before it is compacted: bounds the file to its sessions and this. */
    static final int MAX_SUPERSEDED_LINES = 5000;

    private record Settings(Path store, Duration retention, Duration persistEvery, ZoneId zone, RecorderSettings recorder) {
    }

    private final Path defaultDataDir;
    private final List<PriceFeed> feeds = new CopyOnWriteArrayList<>();
    private volatile ControlLoop controlLoop;
    private volatile EventAdmin eventAdmin;

    // guarded by this
    private Settings settings;
    private SessionRecorder recorder;
    private SessionStore store;
    private final Map<String, ChargingSession> history = new LinkedHashMap<>();
    private Instant lastCycleAt;
    private Instant lastPersist;
    private Instant lastPrune;
    private volatile String configError;
    private volatile String storeError;
    private volatile String storeWarning;

    public SessionsComponent() {
        this(karafData());
    }

    /** Outside OSGi: tests name the data directory. */
    SessionsComponent(Path defaultDataDir) {
        this.defaultDataDir = defaultDataDir;
    }

    private static Path karafData() {
        String d = System.getProperty("karaf.data");
        return d != null && !d.isBlank() ? Path.of(d) : Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Activate
    @Modified
    synchronized void configure(SessionsConfig config) {
        Settings next;
        try {
            next = settings(config, defaultDataDir);
        } catch (IllegalArgumentException e) {
            configError = "configuration " + PID + " refused, previous one stays in force: " + e.getMessage();
            LOG.error(configError);
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage())));
            }
            if (settings == null) {
                open(settings(defaults(), defaultDataDir));
            }
            return;
        }
        configError = null;
        if (settings == null || !settings.store().equals(next.store())) {
            flush();
            open(next);
        } else {
            settings = next;
            recorder.settings(next.recorder());
        }
    }

    static Settings settings(SessionsConfig c, Path dataDir) {
        ZoneId zone;
        try {
            zone = ZoneId.of(c.reportZone().trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("reportZone: not a time zone: " + c.reportZone());
        }
        range("retentionDays", c.retentionDays(), 1, 3650);
        range("lostAfterMinutes", c.lostAfterMinutes(), 1, 10080);
        range("gapMinutes", c.gapMinutes(), 1, 1440);
        range("readoptWithinMinutes", c.readoptWithinMinutes(), 0, 1440);
        range("maxConnectorKw", c.maxConnectorKw(), 1, 2000);
        range("persistSeconds", c.persistSeconds(), 1, 3600);
        Path store = c.storeFile() == null || c.storeFile().isBlank() ? dataDir.resolve("fusebox").resolve("sessions.jsonl")
                : Path.of(c.storeFile().trim());
        return new Settings(store, Duration.ofDays(c.retentionDays()), Duration.ofSeconds(c.persistSeconds()), zone,
                new RecorderSettings(Duration.ofMinutes(c.lostAfterMinutes()), Duration.ofMinutes(c.gapMinutes()),
                        Duration.ofMinutes(c.readoptWithinMinutes()), c.maxConnectorKw() * 1000.0, Duration.ofMinutes(15)));
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be within " + min + ".." + max + ", got " + value);
        }
    }

    /** Reads the history from the store; an unreadable store starts an empty history and says so in health. */
    private void open(Settings next) {
        settings = next;
        store = new SessionStore(next.store());
        recorder = new SessionRecorder(next.recorder(), this::sourceOf);
        history.clear();
        lastCycleAt = null;
        storeWarning = null;
        try {
            SessionStore.Loaded loaded = store.load();
            // site time may run apart from the system clock (the simulator): the history's latest sighting is "now"
            Instant latest = Instant.EPOCH;
            for (SessionStore.Entry e : loaded.entries().values()) {
                history.put(e.session().id(), e.session());
                latest = e.session().lastSeen().isAfter(latest) ? e.session().lastSeen() : latest;
            }
            List<SessionLedger> recent = new ArrayList<>();
            for (SessionStore.Entry e : loaded.entries().values()) {
                if (e.session().active() || !e.session().end().isBefore(latest.minus(next.recorder().readoptWithin()))) {
                    recent.add(e.ledger());
                }
            }
            recorder.restore(recent, history.keySet());
            recorder.ledgers().forEach(l -> history.put(l.id, l.toRecord()));
            storeError = null;
            if (loaded.unreadable() > 0) {
                storeWarning = loaded.unreadable() + " unreadable line(s) in " + next.store() + " were skipped (see the log)";
            }
            LOG.info("sessions: {} recorded session(s) read from {}", history.size(), next.store());
            if (loaded.unreadable() > 0 || loaded.lines() - history.size() > MAX_SUPERSEDED_LINES) {
                compact();
            }
            flush(); // restoring may have closed a session (two active ones stored for one connector)
        } catch (IOException | RuntimeException e) {
            storeError = "cannot read the session history " + next.store() + ", recording into it anew: " + e;
            LOG.error("sessions: {}", storeError);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        flush();
    }

    /** Writes every active session (and those that may be re-adopted) as it stands. */
    private void flush() {
        if (recorder == null) {
            return;
        }
        List<SessionStore.Entry> all = new ArrayList<>();
        recorder.ledgers().forEach(l -> all.add(SessionStore.Entry.of(l)));
        write(all);
    }

    // ---- recording ---------------------------------------------------------------------------------

    @Override
    public void handleEvent(Event event) {
        ControlLoop loop = controlLoop;
        if (loop == null) {
            return;
        }
        try {
            loop.lastCycle().map(CycleReport::snapshot).ifPresent(this::observe);
        } catch (RuntimeException e) {
            LOG.warn("sessions: recording a cycle failed: {}", e.toString(), e);
        }
    }

    /** Records one snapshot; older or repeated snapshots are ignored. */
    synchronized void observe(SiteSnapshot site) {
        Instant now = site.timestamp();
        if (lastCycleAt != null && !now.isAfter(lastCycleAt)) {
            return;
        }
        lastCycleAt = now;
        List<ChargingSession> changed = recorder.observe(site);
        List<SessionStore.Entry> toWrite = new ArrayList<>();
        for (ChargingSession s : changed) {
            history.put(s.id(), s);
            recorder.ledger(s.id()).ifPresentOrElse(l -> toWrite.add(SessionStore.Entry.of(l)),
                    () -> toWrite.add(new SessionStore.Entry(s)));
        }
        boolean periodic = lastPersist == null || !now.isBefore(lastPersist.plus(settings.persistEvery()));
        for (ChargingSession s : recorder.active()) {
            history.put(s.id(), s);
            if (periodic && toWrite.stream().noneMatch(e -> e.session().id().equals(s.id()))) {
                recorder.ledger(s.id()).ifPresent(l -> toWrite.add(SessionStore.Entry.of(l)));
            }
        }
        if (periodic) {
            lastPersist = now;
        }
        write(toWrite);
        if (lastPrune == null || !now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
            lastPrune = now;
            prune(now);
        }
    }

    private void write(List<SessionStore.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            store.append(entries);
            storeError = null;
            if (store.lines() - history.size() > MAX_SUPERSEDED_LINES) {
                compact();
            }
        } catch (IOException | RuntimeException e) {
            storeError = "cannot write the session history " + store.file() + ": " + e;
            LOG.error("sessions: {}", storeError);
        }
    }

    /** Drops finished sessions that ended before the retention. */
    private void prune(Instant now) {
        Instant before = now.minus(settings.retention());
        int was = history.size();
        history.values().removeIf(s -> !s.active() && s.end().isBefore(before));
        if (history.size() != was) {
            LOG.info("sessions: {} session(s) that ended before {} pruned", was - history.size(), before);
            compact();
        }
    }

    private void compact() {
        List<SessionStore.Entry> keep = new ArrayList<>(history.size());
        for (ChargingSession s : history.values()) {
            keep.add(recorder.ledger(s.id()).map(SessionStore.Entry::of).orElseGet(() -> new SessionStore.Entry(s)));
        }
        try {
            store.compact(keep);
        } catch (IOException | RuntimeException e) {
            storeError = "cannot compact the session history " + store.file() + ": " + e;
            LOG.error("sessions: {}", storeError);
        }
    }

    /** The slot's own source; for a slot that names none, the feed whose curve has this very slot. */
    private String sourceOf(PriceSlot slot) {
        if (!slot.source().isEmpty()) {
            return slot.source();
        }
        List<PriceFeed> all = List.copyOf(feeds);
        for (PriceFeed f : all) {
            try {
                Optional<PriceSlot> own = f.prices(slot.start(), slot.end()).at(slot.start());
                if (own.isPresent() && own.get().equals(slot)) {
                    return f.id();
                }
            } catch (RuntimeException e) {
                LOG.debug("price feed {} failed to answer: {}", f.id(), e.toString());
            }
        }
        return null;
    }

    // ---- SessionHistory ----------------------------------------------------------------------------

    @Override
    public synchronized List<ChargingSession> sessions(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return history.values().stream().filter(s -> s.overlaps(from, to)).sorted(BY_START).toList();
    }

    @Override
    public synchronized List<ChargingSession> sessions(String idTag, Instant from, Instant to) {
        Objects.requireNonNull(idTag, "idTag");
        return sessions(from, to).stream().filter(s -> idTag.equals(s.idTag())).toList();
    }

    @Override
    public synchronized Optional<ChargingSession> session(String id) {
        return Optional.ofNullable(history.get(id));
    }

    @Override
    public synchronized Optional<ChargingSession> active(ConnectorRef connector) {
        return history.values().stream().filter(s -> s.active() && s.connector().equals(connector)).findFirst();
    }

    @Override
    public synchronized List<ChargingSession> active() {
        return history.values().stream().filter(ChargingSession::active).sorted(BY_START).toList();
    }

    private static final Comparator<ChargingSession> BY_START = Comparator.comparing(ChargingSession::start)
            .thenComparing(ChargingSession::id);

    synchronized ZoneId zone() {
        return settings.zone();
    }

    // ---- health ------------------------------------------------------------------------------------

    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public Health health() {
        List<String> problems = new ArrayList<>();
        if (configError != null) {
            problems.add(configError);
        }
        if (storeError != null) {
            problems.add(storeError);
        }
        if (storeWarning != null) {
            problems.add(storeWarning);
        }
        if (controlLoop == null) {
            problems.add("no control loop: nothing is recorded until the core runs");
        }
        return problems.isEmpty() ? Health.up() : Health.degraded(problems.toArray(String[]::new));
    }

    // ---- references --------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setControlLoop(ControlLoop loop) {
        controlLoop = loop;
    }

    void unsetControlLoop(ControlLoop loop) {
        if (controlLoop == loop) {
            controlLoop = null;
        }
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPriceFeed(PriceFeed feed) {
        feeds.add(feed);
    }

    void removePriceFeed(PriceFeed feed) {
        feeds.remove(feed);
    }

    /** The defaults of {@link SessionsConfig}, for a start without a valid configuration. */
    static SessionsConfig defaults() {
        return new SessionsConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return SessionsConfig.class;
            }

            @Override
            public String storeFile() {
                return "";
            }

            @Override
            public int retentionDays() {
                return 400;
            }

            @Override
            public int lostAfterMinutes() {
                return 60;
            }

            @Override
            public int gapMinutes() {
                return 5;
            }

            @Override
            public int readoptWithinMinutes() {
                return 30;
            }

            @Override
            public int maxConnectorKw() {
                return 400;
            }

            @Override
            public int persistSeconds() {
                return 60;
            }

            @Override
            public String reportZone() {
                return "UTC";
            }
        };
    }
}

package org.fusebox.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VEN at one VTN under one configuration: registers the VEN (and its resources) when missing, then polls
 * programs and events on its own thread and keeps the signals they give in memory. A poll is applied whole:
 * a failed one (no answer, an error status, JSON that cannot be read) changes nothing but health, so the
 * signals known keep their force until they end. A malformed event is refused on its own; the others apply.
 */
final class VenSession {

    private static final Logger LOG = LoggerFactory.getLogger(VenSession.class);
    /** The OpenAPI document's largest page. */
    static final int PAGE = 50;
    /** At most this many pages of one search in a poll (2000 objects). */
    static final int MAX_PAGES = 40;

    /** What the last successful poll found, replaced whole. */
    private record Known(List<GridSignal> signals, List<String> refusals, List<String> missingPrograms, int events,
            Instant polledAt) {
    }

    private final OpenAdrSettings settings;
    private final Clock clock;
    private final VtnClient client;
    private final EventMapper mapper;
    private final Object pollLock = new Object();
    private final SiteSamples samples;
    private final Reporter reporter;
    private ScheduledExecutorService executor;

    private volatile Known known;
    private volatile String venId;
    private volatile boolean resourcesRegistered;
    private volatile int failures;
    private volatile String lastFailure;
    private volatile Instant lastFailureAt;
    private final Set<String> warned = new HashSet<>();

    /**
     * @param inherited signals of the previous session, in force until this one's first successful poll
     * @param samples   the site's measurements, which reports are made of
     * @param reported  what the previous session of this VEN reported, null when none
     */
    VenSession(OpenAdrSettings settings, Clock clock, List<GridSignal> inherited, SiteSamples samples, Reporter.Ledger reported) {
        this.settings = settings;
        this.clock = clock;
        this.client = new VtnClient(settings, clock);
        this.mapper = new EventMapper(settings.sourceId());
        this.known = new Known(List.copyOf(inherited), List.of(), List.of(), 0, null);
        this.samples = samples;
        String resource = settings.resourceNames().size() == 1 ? settings.resourceNames().get(0) : ReportPlanner.AGGREGATED;
        this.reporter = new Reporter(settings.venName(), client, new ReportPlanner(client.json(), settings.venName(), resource),
                samples, clock, reported);
    }

    /** What this session has reported, for the next session of the same VEN. */
    Reporter.Ledger reported() {
        return reporter.ledger();
    }

    OpenAdrSettings settings() {
        return settings;
    }

    /**
     * Polls at once, then every poll interval, and samples the site's measurements every
     * {@link SiteSamples#PERIOD}, on threads of its own (a slow VTN does not hold the sampling up).
     */
    synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "fusebox-openadr-" + settings.venName());
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::pollOnce, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleAtFixedRate(samples::sampleOnce, 0, SiteSamples.PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    /** Every known signal that has not ended; memory only, never throws. */
    List<GridSignal> signals() {
        try {
            Instant now = clock.instant();
            List<GridSignal> all = known.signals();
            List<GridSignal> out = new ArrayList<>(all.size());
            for (GridSignal s : all) {
                if (s.end() == null || s.end().isAfter(now)) {
                    out.add(s);
                }
            }
            return List.copyOf(out);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    String venId() {
        return venId;
    }

    int tokensFetched() {
        return client.tokensFetched();
    }

    /** One poll: registration when needed, programs, events, then the reports due. Public to the package for tests; never throws. */
    void pollOnce() {
        synchronized (pollLock) {
            try {
                poll();
                if (failures > 0) {
                    LOG.info("OpenADR VEN {}: the VTN answers again after {} failed poll(s)", settings.venName(), failures);
                }
                failures = 0;
                lastFailure = null;
            } catch (VtnException e) {
                fail(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                fail("unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + client.scrub(e.getMessage())));
            }
        }
    }

    private void fail(String reason) {
        String scrubbed = client.scrub(reason);
        if (failures == 0 || !scrubbed.equals(lastFailure)) {
            LOG.warn("OpenADR VEN {}: poll failed, the signals known stay until they end: {}", settings.venName(), scrubbed);
        }
        failures++;
        lastFailure = scrubbed;
        lastFailureAt = clock.instant();
    }

    private void poll() throws VtnException, InterruptedException {
        if (venId == null) {
            venId = registerVen();
            resourcesRegistered = false;
            LOG.info("OpenADR VEN {} has venID {} at the VTN", settings.venName(), venId);
        }
        if (!resourcesRegistered) {
            try {
                registerResources(venId);
            } catch (VtnException e) {
                if (e.status() == 404) {
                    venId = null; // the VTN no longer knows this VEN: register again next poll
                }
                throw e;
            }
            resourcesRegistered = true;
        }
        Map<String, Program> programs = new LinkedHashMap<>();
        for (JsonNode p : search("/programs", "")) {
            Program program = Program.of(p);
            if (program != null) {
                programs.put(program.id(), program);
            }
        }
        List<String> missing = new ArrayList<>();
        Map<String, JsonNode> events = new LinkedHashMap<>();
        List<String> refusals = new ArrayList<>();
        if (settings.programIds().isEmpty()) {
            collect(search("/events", ""), events);
        } else {
            for (String pid : settings.programIds()) {
                if (!programs.containsKey(pid)) {
                    missing.add(pid);
                }
                collect(search("/events", "programID=" + VtnClient.encode(pid) + "&"), events);
            }
            events.values().removeIf(e -> !settings.programIds().contains(e.path("programID").asText()));
        }
        List<GridSignal> signals = new ArrayList<>();
        Set<String> versions = new HashSet<>();
        List<Map.Entry<JsonNode, MappedEvent>> mapped = new ArrayList<>();
        for (JsonNode event : events.values()) {
            MappedEvent m = mapper.map(event, programs);
            mapped.add(Map.entry(event, m));
            versions.add(m.version());
            boolean first = !warned.contains(m.version());
            if (m.isRefused()) {
                refusals.add(m.refusal());
                if (first) {
                    LOG.warn("OpenADR VEN {}: event refused, the others still apply: {}", settings.venName(), m.refusal());
                }
            } else {
                signals.addAll(m.signals());
                if (first) {
                    LOG.info("OpenADR VEN {}: event {} gives {} signal(s){}", settings.venName(), m.eventId(), m.signals().size(),
                            m.notes().isEmpty() ? "" : "; " + String.join("; ", m.notes()));
                }
            }
        }
        synchronized (warned) {
            warned.retainAll(versions);
            warned.addAll(versions);
        }
        Instant now = clock.instant();
        signals.removeIf(s -> s.end() != null && !s.end().isAfter(now));
        known = new Known(List.copyOf(signals), List.copyOf(refusals), List.copyOf(missing), events.size(), now);
        // the events are applied; a report that cannot be sent now waits for the next poll without failing this one
        reporter.report(mapped);
    }

    /** Events by id; a second object with the same id (another page moved under us) is kept once. */
    private static void collect(List<JsonNode> found, Map<String, JsonNode> events) {
        for (JsonNode e : found) {
            String id = e.path("id").isTextual() ? e.path("id").asText() : null;
            events.putIfAbsent(id == null ? "?" + events.size() : id, e);
        }
    }

    private String registerVen() throws VtnException, InterruptedException {
        String name = settings.venName();
        for (JsonNode ven : search("/vens", "venName=" + VtnClient.encode(name) + "&")) {
            if (name.equals(ven.path("venName").asText(null)) && ven.path("id").isTextual()) {
                return checkedId(ven.path("id").asText(), "GET /vens");
            }
        }
        ObjectNode body = client.json().createObjectNode();
        body.put("venName", name);
        JsonNode created = client.post("/vens", body);
        if (!created.path("id").isTextual() || created.path("id").asText().isEmpty()) {
            throw new VtnException("POST /vens: the VTN created the VEN but gave no id");
        }
        LOG.info("OpenADR VEN {} registered at the VTN", name);
        return checkedId(created.path("id").asText(), "POST /vens");
    }

    /** A venID goes into paths: only an objectID (letters, digits, '_', '-') is taken. */
    private static String checkedId(String id, String what) throws VtnException {
        if (!id.matches("[a-zA-Z0-9_-]{1,128}")) {
            throw new VtnException(what + ": the VEN's id is not an objectID: '" + EventMapper.abbreviated(id) + "'");
        }
        return id;
    }

    private void registerResources(String ven) throws VtnException, InterruptedException {
        for (String name : settings.resourceNames()) {
            boolean found = false;
            for (JsonNode r : search("/vens/" + ven + "/resources", "resourceName=" + VtnClient.encode(name) + "&")) {
                if (name.equals(r.path("resourceName").asText(null))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                ObjectNode body = client.json().createObjectNode();
                body.put("resourceName", name);
                client.post("/vens/" + ven + "/resources", body);
                LOG.info("OpenADR VEN {}: resource {} registered", settings.venName(), name);
            }
        }
    }

    /** Every object of a search, page by page; {@code query} is empty or ends with '&'. */
    private List<JsonNode> search(String path, String query) throws VtnException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = client.get(path + "?" + query + "skip=" + page * PAGE + "&limit=" + PAGE);
            if (!answer.isArray()) {
                throw new VtnException("GET " + path + ": the answer is not a JSON array");
            }
            for (JsonNode n : answer) {
                if (!n.isObject()) {
                    throw new VtnException("GET " + path + ": the answer holds something other than objects");
                }
                all.add(n);
            }
            if (answer.size() < PAGE) {
                return all;
            }
        }
        LOG.warn("OpenADR VEN {}: GET {} stopped after {} objects", settings.venName(), path, all.size());
        return all;
    }

    Health health() {
        Known k = known;
        int f = failures;
        List<String> details = new ArrayList<>();
        HealthStatus status = HealthStatus.UP;
        List<GridSignal> now = signals();
        if (f > 0) {
            status = f >= settings.failuresBeforeDown() ? HealthStatus.DOWN : HealthStatus.DEGRADED;
            details.add(f + " poll(s) failed in a row, last at " + lastFailureAt + ": " + lastFailure);
            details.add(k.polledAt() == null ? "no successful poll yet; " + now.size() + " signal(s) kept from before"
                    : "last successful poll at " + k.polledAt() + "; its " + now.size() + " signal(s) not yet ended stay in force");
        } else if (k.polledAt() == null) {
            status = HealthStatus.DEGRADED;
            details.add("waiting for the first poll of " + settings.vtnUrl().getHost());
        }
        if (!k.refusals().isEmpty()) {
            status = status.worst(HealthStatus.DEGRADED);
            details.add(k.refusals().size() + " event(s) refused, the others apply");
            details.addAll(k.refusals());
        }
        if (!k.missingPrograms().isEmpty()) {
            status = status.worst(HealthStatus.DEGRADED);
            details.add("program(s) not found at the VTN: " + String.join(", ", k.missingPrograms()));
        }
        if (k.polledAt() != null && f == 0) {
            Instant t = clock.instant();
            long active = now.stream().filter(s -> s.isActiveAt(t)).count();
            details.add("VEN " + settings.venName() + " (venID " + venId + ") at " + settings.vtnUrl().getHost() + ": "
                    + k.events() + " event(s), " + now.size() + " signal(s), " + active + " in force now; polled at " + k.polledAt());
        }
        status = status.worst(reporter.health(details));
        return new Health(status, details);
    }
}

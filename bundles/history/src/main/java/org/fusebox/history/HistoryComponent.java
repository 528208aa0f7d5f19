package org.fusebox.history;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the latest cycle each time the core says one completed ({@code fusebox/control/CYCLE_COMPLETED}, posted
 * asynchronously), and answers the history servlet. A configuration change closes the file and opens it again.
 */
@Component(service = { HistoryService.class, HealthIndicator.class, EventHandler.class }, configurationPid = HistoryComponent.PID,
        immediate = true, property = EventConstants.EVENT_TOPIC + "=" + FuseboxEvents.CYCLE_COMPLETED)
@Designate(ocd = HistoryConfig.class)
public final class HistoryComponent implements HistoryService, HealthIndicator, EventHandler {

    static final String PID = "fusebox.history";
    private static final Logger LOG = LoggerFactory.getLogger(HistoryComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ControlLoop controlLoop;

    private volatile HistoryRecorder recorder;
    private volatile String openError;
    private volatile int maxPoints;
    private volatile SeriesCatalogue catalogue;

    @Activate
    void activate(HistoryConfig config) {
        maxPoints = clamp(config.maxPoints(), HistoryConfigBounds.MIN_POINTS, HistoryConfigBounds.MAX_POINTS);
        int chargers = clamp(config.chargerSeries(), 0, HistoryConfigBounds.MAX_CHARGER_SERIES);
        catalogue = new SeriesCatalogue(chargers);
        Path dir = directory(config.directory());
        try {
            recorder = new HistoryRecorder(dir, chargers, Clock.systemUTC());
            openError = null;
            LOG.info("History recorded in {} ({} bytes, fixed)", recorder.store().file(), HistoryStore.sizeOf(catalogue));
        } catch (IOException | RuntimeException e) {
            openError = "history store in " + dir + " could not be opened: " + e;
            LOG.error(openError);
        }
    }

    @Deactivate
    void deactivate() {
        HistoryRecorder r = recorder;
        recorder = null;
        if (r != null) {
            r.close();
        }
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    static Path directory(String configured) {
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.trim());
            String base = System.getProperty("karaf.base");
            return p.isAbsolute() || base == null ? p : Path.of(base).resolve(p);
        }
        String data = System.getProperty("karaf.data");
        Path root = data != null && !data.isBlank() ? Path.of(data) : Path.of(System.getProperty("java.io.tmpdir"));
        return root.resolve("fusebox").resolve("history");
    }

    @Override
    public void handleEvent(Event event) {
        HistoryRecorder r = recorder;
        ControlLoop loop = controlLoop;
        if (r == null || loop == null) {
            return;
        }
        loop.lastCycle().map(CycleReport::snapshot).ifPresent(r::offer);
    }

    // ---- HistoryService --------------------------------------------------------------------------------

    @Override
    public SeriesCatalogue catalogue() {
        return catalogue;
    }

    @Override
    public Map<String, Integer> chargerSlots() {
        HistoryRecorder r = recorder;
        return r == null ? Map.of() : r.chargerSlots();
    }

    @Override
    public int maxPoints() {
        return maxPoints;
    }

    @Override
    public HistoryStore.Points fetch(HistoryQuery query) throws IOException {
        HistoryRecorder r = recorder;
        if (r == null) {
            throw new IOException(openError != null ? openError : "the history store is closed");
        }
        return r.store().fetch(query.series(), query.consolidation(), query.resolution(), query.from(), query.to());
    }

    @Override
    public boolean available() {
        return recorder != null;
    }

    // ---- HealthIndicator -------------------------------------------------------------------------------

    @Override
    public String name() {
        return "history";
    }

    @Override
    public Health health() {
        String e = openError;
        if (e != null) {
            return Health.down(e);
        }
        HistoryRecorder r = recorder;
        return r == null ? Health.down("the history store is closed") : r.health();
    }
}

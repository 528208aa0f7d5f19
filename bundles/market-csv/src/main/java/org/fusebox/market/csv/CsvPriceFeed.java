package org.fusebox.market.csv;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceSlot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
 * A {@link PriceFeed} backed by a CSV file, loaded whole at activation and on every configuration change;
 * {@link #prices} only reads memory. A refused configuration or file keeps what was loaded before.
 */
@Component(service = { PriceFeed.class, HealthIndicator.class }, configurationPid = CsvPriceFeed.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = CsvPriceFeedConfig.class)
public final class CsvPriceFeed implements PriceFeed, HealthIndicator {

    static final String PID = "fusebox.market.csv";
    private static final Logger LOG = LoggerFactory.getLogger(CsvPriceFeed.class);

    /** What is in force: replaced as a whole, never half. */
    private record Loaded(String id, PriceCurve curve, Instant[] starts) {

        static final Loaded NONE = new Loaded("csv", PriceCurve.EMPTY, new Instant[0]);

        static Loaded of(String id, PriceCurve curve) {
            return new Loaded(id, curve, curve.slots().stream().map(PriceSlot::start).toArray(Instant[]::new));
        }
    }

    private final Clock clock;
    private volatile Loaded loaded = Loaded.NONE;
    private volatile String error;
    private volatile EventAdmin eventAdmin;

    public CsvPriceFeed() {
        this(Clock.systemUTC());
    }

    CsvPriceFeed(Clock clock) {
        this.clock = clock;
    }

    @Activate
    @Modified
    void configure(CsvPriceFeedConfig config) {
        CsvFeedSettings settings;
        try {
            settings = CsvFeedSettings.from(config, System.getProperty("karaf.base"));
        } catch (IllegalArgumentException e) {
            refuse("configuration " + PID + " refused", e.getMessage());
            return;
        }
        try {
            ParsedPrices parsed = settings.parser().parse(settings.file());
            PriceCurve curve = settings.shiftToCurrentYear()
                    ? YearReplay.replay(parsed.curve(), parsed.slotLength(), settings.zone(), clock.instant())
                    : parsed.curve();
            loaded = Loaded.of(settings.id(), curve);
            error = null;
            LOG.info("price feed '{}' loaded {} slots from {}{}", settings.id(), curve.slots().size(), settings.file(),
                    settings.shiftToCurrentYear() ? " (replayed onto the current and next year)" : "");
        } catch (IOException e) {
            if (loaded.curve().isEmpty()) {
                loaded = Loaded.of(settings.id(), PriceCurve.EMPTY);
            }
            refuse("price file not loaded", "cannot read " + settings.file() + ": " + e);
        } catch (PriceFileException e) {
            if (loaded.curve().isEmpty()) {
                loaded = Loaded.of(settings.id(), PriceCurve.EMPTY);
            }
            refuse("price file refused", e.getMessage());
        }
    }

    private void refuse(String what, String reason) {
        Loaded l = loaded;
        String kept = l.curve().isEmpty() ? "no prices loaded" : "previous " + l.curve().slots().size() + " slots stay in force";
        error = what + ", " + kept + ": " + reason;
        LOG.error(error);
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, reason)));
        }
    }

    @Override
    public String id() {
        return loaded.id();
    }

    @Override
    public PriceCurve prices(Instant from, Instant to) {
        Loaded l = loaded;
        if (!from.isBefore(to) || l.starts().length == 0) {
            return PriceCurve.EMPTY;
        }
        List<PriceSlot> slots = l.curve().slots();
        // the last slot starting at or before 'from' may still overlap it
        int lo = 0;
        int hi = l.starts().length - 1;
        int first = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (!l.starts()[mid].isAfter(from)) {
                first = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        int i = first;
        while (i < slots.size() && !slots.get(i).end().isAfter(from)) {
            i++;
        }
        int j = i;
        while (j < slots.size() && slots.get(j).start().isBefore(to)) {
            j++;
        }
        return i == j ? PriceCurve.EMPTY : new PriceCurve(slots.subList(i, j));
    }

    @Override
    public String name() {
        return "market.csv";
    }

    @Override
    public Health health() {
        String e = error;
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
}

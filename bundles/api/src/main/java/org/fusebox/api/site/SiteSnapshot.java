package org.fusebox.api.site;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.market.PriceCurve;

/**
 * Everything the control core knows about the site at one instant. Immutable: optimisers are pure
 * functions of it.
 *
 * @param cycle     the control cycle number that took it
 * @param timestamp when it was taken
 * @param limits    the site's hard limits
 * @param grid      the grid meter, or {@code null} when the site has none (or it is gone)
 * @param pv        PV inverters
 * @param batteries batteries
 * @param chargers  EV chargers
 * @param prices    the energy prices known now (possibly empty): what the site pays per MWh imported, the
 *                  site's tariff applied when there is one (since 1.3; before, the market price), each slot
 *                  naming the feed it came from
 * @param forecasts the PV and load forecasts known now, at most one per kind (since 1.1)
 * @param spotPrices   the market prices the tariff started from (possibly empty; since 1.3)
 * @param exportPrices what the site earns per MWh exported, empty when not known (since 1.3)
 * @param zone      the site's time zone, which local times (tariff bands, billing intervals, departures
 *                  shown to people) follow; the JVM's default zone when none is given (since 1.3)
 */
public record SiteSnapshot(long cycle, Instant timestamp, SiteLimits limits, GridState grid, List<PvState> pv,
        List<BatteryState> batteries, List<ChargerState> chargers, PriceCurve prices,
        Map<ForecastKind, PowerForecast> forecasts, PriceCurve spotPrices, PriceCurve exportPrices, ZoneId zone) {

    public SiteSnapshot {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(limits, "limits");
        pv = List.copyOf(pv);
        batteries = List.copyOf(batteries);
        chargers = List.copyOf(chargers);
        prices = prices == null ? PriceCurve.EMPTY : prices;
        spotPrices = spotPrices == null ? PriceCurve.EMPTY : spotPrices;
        exportPrices = exportPrices == null ? PriceCurve.EMPTY : exportPrices;
        zone = zone == null ? ZoneId.systemDefault() : zone;
        forecasts = forecasts == null ? Map.of() : Map.copyOf(forecasts);
        forecasts.forEach((kind, f) -> {
            if (f.kind() != kind) {
                throw new IllegalArgumentException("a " + f.kind() + " forecast filed under " + kind);
            }
        });
    }

    /** A snapshot without spot and export prices, in the JVM's default zone, as in version 1.2. */
    public SiteSnapshot(long cycle, Instant timestamp, SiteLimits limits, GridState grid, List<PvState> pv,
            List<BatteryState> batteries, List<ChargerState> chargers, PriceCurve prices,
            Map<ForecastKind, PowerForecast> forecasts) {
        this(cycle, timestamp, limits, grid, pv, batteries, chargers, prices, forecasts, null, null, null);
    }

    /** A snapshot without forecasts, as in version 1.0. */
    public SiteSnapshot(long cycle, Instant timestamp, SiteLimits limits, GridState grid, List<PvState> pv,
            List<BatteryState> batteries, List<ChargerState> chargers, PriceCurve prices) {
        this(cycle, timestamp, limits, grid, pv, batteries, chargers, prices, Map.of());
    }

    /**
     * The same snapshot with other chargers (the core overlays drivers' charging requests this way).
     *
     * @since 1.3
     */
    public SiteSnapshot withChargers(List<ChargerState> chargers) {
        return new SiteSnapshot(cycle, timestamp, limits, grid, pv, batteries, chargers, prices, forecasts, spotPrices,
                exportPrices, zone);
    }

    /** The forecast of that kind, empty when none is known. */
    public PowerForecast forecast(ForecastKind kind) {
        PowerForecast f = forecasts.get(kind);
        return f == null ? PowerForecast.empty(kind) : f;
    }

    public Optional<GridState> gridMeter() {
        return Optional.ofNullable(grid);
    }

    public Optional<BatteryState> battery(String id) {
        return batteries.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    public Optional<ChargerState> charger(String id) {
        return chargers.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public static Builder builder(SiteLimits limits) {
        return new Builder(limits);
    }

    /** Builds a snapshot step by step; convenient for drivers' and plugins' tests. */
    public static final class Builder {
        private long cycle;
        private Instant timestamp = Instant.now();
        private final SiteLimits limits;
        private GridState grid;
        private final List<PvState> pv = new ArrayList<>();
        private final List<BatteryState> batteries = new ArrayList<>();
        private final List<ChargerState> chargers = new ArrayList<>();
        private PriceCurve prices = PriceCurve.EMPTY;
        private final Map<ForecastKind, PowerForecast> forecasts = new EnumMap<>(ForecastKind.class);
        private PriceCurve spotPrices = PriceCurve.EMPTY;
        private PriceCurve exportPrices = PriceCurve.EMPTY;
        private ZoneId zone;

        private Builder(SiteLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
        }

        public Builder cycle(long cycle) {
            this.cycle = cycle;
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder grid(GridState grid) {
            this.grid = grid;
            return this;
        }

        public Builder pv(PvState state) {
            pv.add(state);
            return this;
        }

        public Builder battery(BatteryState state) {
            batteries.add(state);
            return this;
        }

        public Builder charger(ChargerState state) {
            chargers.add(state);
            return this;
        }

        public Builder prices(PriceCurve prices) {
            this.prices = prices;
            return this;
        }

        /**
         * The market prices the import prices were made from.
         *
         * @since 1.3
         */
        public Builder spotPrices(PriceCurve spotPrices) {
            this.spotPrices = spotPrices;
            return this;
        }

        /**
         * What the site earns per MWh exported.
         *
         * @since 1.3
         */
        public Builder exportPrices(PriceCurve exportPrices) {
            this.exportPrices = exportPrices;
            return this;
        }

        /**
         * The site's time zone; without it, the JVM's default.
         *
         * @since 1.3
         */
        public Builder zone(ZoneId zone) {
            this.zone = zone;
            return this;
        }

        /** Sets the forecast of its kind, replacing any earlier one. */
        public Builder forecast(PowerForecast forecast) {
            forecasts.put(forecast.kind(), forecast);
            return this;
        }

        public SiteSnapshot build() {
            return new SiteSnapshot(cycle, timestamp, limits, grid, pv, batteries, chargers, prices, forecasts, spotPrices,
                    exportPrices, zone);
        }
    }
}

package org.fusebox.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;

/**
 * The devices the core currently sees, by role, and the freshness of their readings. Devices come and go
 * at any time (drivers are upgraded while the site runs), so everything here is safe to call from DS
 * threads and the control thread at once.
 */
final class DeviceRegistry {

    enum Role {
        GRID_METER, PV_INVERTER, BATTERY, EV_CHARGER
    }

    private final Map<String, GridMeter> meters = new ConcurrentHashMap<>();
    private final Map<String, PvInverter> inverters = new ConcurrentHashMap<>();
    private final Map<String, Battery> batteries = new ConcurrentHashMap<>();
    private final Map<String, EvCharger> chargers = new ConcurrentHashMap<>();
    private final Map<String, Freshness> freshness = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    /** When a device's reading last changed, in the monotonic clock: readings are judged stale in real time. */
    private record Freshness(Instant lastTimestamp, long changedAtNanos) {
    }

    DeviceRegistry(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** @return false if another device already uses this id (the newcomer is ignored) */
    boolean add(Role role, Device device) {
        String id = device.id();
        if (find(id).isPresent()) {
            return false;
        }
        mapFor(role).put(id, device);
        return true;
    }

    /** Removes this exact device object; a different device with the same id is left alone. */
    boolean remove(Role role, Device device) {
        boolean removed = mapFor(role).remove(device.id(), device);
        if (removed) {
            freshness.remove(device.id());
        }
        return removed;
    }

    Optional<Device> find(String id) {
        for (Role r : Role.values()) {
            Device d = mapFor(r).get(id);
            if (d != null) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    Optional<EvCharger> charger(String id) {
        return Optional.ofNullable(chargers.get(id));
    }

    Optional<Battery> battery(String id) {
        return Optional.ofNullable(batteries.get(id));
    }

    Optional<PvInverter> inverter(String id) {
        return Optional.ofNullable(inverters.get(id));
    }

    int meterCount() {
        return meters.size();
    }

    List<EvCharger> chargers() {
        return List.copyOf(chargers.values());
    }

    List<Battery> batteries() {
        return List.copyOf(batteries.values());
    }

    List<PvInverter> inverters() {
        return List.copyOf(inverters.values());
    }

    @SuppressWarnings("unchecked")
    private <T extends Device> Map<String, T> mapFor(Role role) {
        return (Map<String, T>) switch (role) {
            case GRID_METER -> meters;
            case PV_INVERTER -> inverters;
            case BATTERY -> batteries;
            case EV_CHARGER -> chargers;
        };
    }

    /**
     * Reads every device (no I/O: drivers hand out their latest reading) into a snapshot. A device whose
     * reading has not changed for {@code readingTimeout} is shown offline with no reading; a device that
     * throws is shown as a fault.
     */
    SiteSnapshot snapshot(long cycle, Instant now, SiteLimits limits, Duration readingTimeout,
            org.fusebox.api.market.SitePrices prices, java.time.ZoneId zone,
            java.util.Collection<org.fusebox.api.forecast.PowerForecast> forecasts) {
        SiteSnapshot.Builder b = SiteSnapshot.builder(limits).cycle(cycle).timestamp(now).prices(prices.importPrices())
                .spotPrices(prices.spot()).exportPrices(prices.exportPrices()).zone(zone);
        forecasts.forEach(b::forecast);
        meters.values().stream().min(Comparator.comparing(Device::id)).ifPresent(m -> {
            Observed<MeterReading> o = observe(m, () -> m.reading(), MeterReading::timestamp, now, readingTimeout);
            b.grid(new GridState(m.id(), name(m), o.status, o.reading));
        });
        for (PvInverter pv : sorted(inverters)) {
            Observed<PvReading> o = observe(pv, () -> pv.reading(), PvReading::timestamp, now, readingTimeout);
            b.pv(new PvState(pv.id(), name(pv), o.status, pv.ratedPower(), pv.supportsCurtailment(), o.reading));
        }
        for (Battery bat : sorted(batteries)) {
            Observed<BatteryReading> o = observe(bat, () -> bat.reading(), BatteryReading::timestamp, now, readingTimeout);
            b.battery(new BatteryState(bat.id(), name(bat), o.status, bat.ratings(), o.reading));
        }
        for (EvCharger ch : sorted(chargers)) {
            Observed<ChargerReading> o = observe(ch, () -> ch.reading(), ChargerReading::timestamp, now, readingTimeout);
            b.charger(new ChargerState(ch.id(), name(ch), o.status, ch.connectors(), o.reading));
        }
        return b.build();
    }

    private static <T extends Device> List<T> sorted(Map<String, T> m) {
        List<T> l = new ArrayList<>(m.values());
        l.sort(Comparator.comparing(Device::id));
        return l;
    }

    private record Observed<R>(DeviceStatus status, R reading) {
    }

    private <R> Observed<R> observe(Device d, java.util.function.Supplier<Optional<R>> read,
            java.util.function.Function<R, Instant> stamp, Instant now, Duration timeout) {
        DeviceStatus status;
        Optional<R> reading;
        try {
            status = d.status();
            reading = read.get();
        } catch (RuntimeException | LinkageError e) {
            return new Observed<>(DeviceStatus.fault("driver error: " + e, now), null);
        }
        if (reading.isEmpty()) {
            return new Observed<>(status.isOnline() ? DeviceStatus.offline("no reading yet", now) : status, null);
        }
        long t = nanoTime.getAsLong();
        Instant ts = stamp.apply(reading.get());
        Freshness f = freshness.compute(d.id(), (k, old) -> old == null || !old.lastTimestamp().equals(ts) ? new Freshness(ts, t) : old);
        long ageNanos = t - f.changedAtNanos();
        if (ageNanos > timeout.toNanos()) {
            return new Observed<>(DeviceStatus.offline(String.format(java.util.Locale.ROOT,
                    "no new reading for %.1f s", ageNanos / 1e9), now), null);
        }
        return new Observed<>(status, reading.get());
    }

    private static String name(Device d) {
        try {
            return d.displayName();
        } catch (RuntimeException e) {
            return d.id();
        }
    }
}

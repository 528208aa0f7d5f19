package org.fusebox.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed set of series the store holds. A round-robin file has a fixed number of data sources, so the
 * chargers get a fixed number of slots ({@code ev.slot1.power} ...); {@link ChargerSlots} says which charger
 * holds which slot. Everything else is one series for the whole site.
 */
final class SeriesCatalogue {

    /** Far above any grid connection a gateway sits on (a 2 MVA transformer is about 2900 A). */
    static final double MAX_AMPS = 10_000;
    static final double MAX_WATTS = 10_000_000;

    static final String GRID_L1 = "grid.l1";
    static final String GRID_L2 = "grid.l2";
    static final String GRID_L3 = "grid.l3";
    static final String GRID_POWER = "grid.power";
    static final String PV_POWER = "pv.power";
    static final String BATTERY_POWER = "battery.power";
    static final String BATTERY_SOC = "battery.soc";
    static final String EV_POWER = "ev.power";
    /** The prefix of a charger's slot series: {@code ev.slot3.power}. */
    static final String SLOT_PREFIX = "ev.slot";
    static final String SLOT_SUFFIX = ".power";

    private final List<Series> series;
    private final Map<String, Series> byName;
    private final int chargerSlots;

    SeriesCatalogue(int chargerSlots) {
        if (chargerSlots < 0 || chargerSlots > HistoryConfigBounds.MAX_CHARGER_SERIES) {
            throw new IllegalArgumentException("charger series must be within 0 and " + HistoryConfigBounds.MAX_CHARGER_SERIES
                    + ", got " + chargerSlots);
        }
        this.chargerSlots = chargerSlots;
        List<Series> all = new ArrayList<>();
        // grid import positive; currents signed like the power
        all.add(new Series(GRID_L1, "grid_l1", "amps", -MAX_AMPS, MAX_AMPS));
        all.add(new Series(GRID_L2, "grid_l2", "amps", -MAX_AMPS, MAX_AMPS));
        all.add(new Series(GRID_L3, "grid_l3", "amps", -MAX_AMPS, MAX_AMPS));
        all.add(new Series(GRID_POWER, "grid_power", "watts", -MAX_WATTS, MAX_WATTS));
        all.add(new Series(PV_POWER, "pv_power", "watts", -MAX_WATTS, MAX_WATTS));
        all.add(new Series(BATTERY_POWER, "battery_power", "watts", -MAX_WATTS, MAX_WATTS));
        all.add(new Series(BATTERY_SOC, "battery_soc", "percent", 0, 100));
        all.add(new Series(EV_POWER, "ev_power", "watts", -MAX_WATTS, MAX_WATTS));
        for (int slot = 1; slot <= chargerSlots; slot++) {
            all.add(new Series(slotName(slot), "ev_slot" + slot, "watts", -MAX_WATTS, MAX_WATTS));
        }
        this.series = List.copyOf(all);
        Map<String, Series> names = new LinkedHashMap<>();
        for (Series s : series) {
            names.put(s.name(), s);
        }
        this.byName = Collections.unmodifiableMap(names);
    }

    static String slotName(int slot) {
        return SLOT_PREFIX + slot + SLOT_SUFFIX;
    }

    List<Series> all() {
        return series;
    }

    int chargerSlots() {
        return chargerSlots;
    }

    Optional<Series> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The position of the series in {@link #all()}, which is also its column in a sample. */
    int indexOf(Series s) {
        return series.indexOf(s);
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }
}

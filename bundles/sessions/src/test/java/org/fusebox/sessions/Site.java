package org.fusebox.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.testing.TestSites;

/** A site with one-connector chargers whose readings the test sets, on a clock the test moves. */
final class Site {

    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private Instant now = T0;
    private final List<ChargerState> chargers = new ArrayList<>();
    private PriceCurve prices = PriceCurve.EMPTY;

    Site at(Instant t) {
        now = t;
        chargers.clear();
        return this;
    }

    Site plus(Duration d) {
        return at(now.plus(d));
    }

    Instant now() {
        return now;
    }

    Site prices(PriceCurve curve) {
        prices = curve;
        return this;
    }

    /** A charging connector measured now, with its register at {@code registerWh}. */
    Site charging(String charger, String tx, String idTag, double registerWh) {
        return connector(charger, ConnectorState.CHARGING, tx, idTag, registerWh, now);
    }

    Site connector(String charger, ConnectorState state, String tx, String idTag, double registerWh, Instant measuredAt) {
        return connector(charger, state, tx, idTag, registerWh, measuredAt, now);
    }

    /** A connector whose charger reading is stamped {@code readingAt} in the driver's clock. */
    Site connector(String charger, ConnectorState state, String tx, String idTag, double registerWh, Instant measuredAt,
            Instant readingAt) {
        EvSession ev = tx == null ? null : new EvSession(tx, idTag, T0, Energy.ZERO, null, null, null, null);
        ConnectorReading r = new ConnectorReading(1, state, Power.ofWatts(7000), PhaseCurrents.ZERO, Current.ofAmps(32),
                Energy.ofWattHours(registerWh), ev, measuredAt);
        ConnectorInfo info = new ConnectorInfo(1, TestSites.THREE, Current.ofAmps(6), Current.ofAmps(32), Current.ofAmps(6));
        chargers.add(new ChargerState(charger, charger, DeviceStatus.online(now), List.of(info),
                new ChargerReading(readingAt, List.of(r))));
        return this;
    }

    SiteSnapshot build() {
        SiteSnapshot.Builder b = SiteSnapshot.builder(TestSites.limits(63, 2)).timestamp(now).prices(prices);
        chargers.forEach(b::charger);
        return b.build();
    }

    /** Quarter-hour prices from {@code start}, EUR per MWh. */
    static PriceCurve quarterHours(Instant start, String... perMwh) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int i = 0; i < perMwh.length; i++) {
            slots.add(new PriceSlot(start.plus(Duration.ofMinutes(15L * i)), Duration.ofMinutes(15),
                    EnergyPrice.perMegawattHour(perMwh[i], "EUR")));
        }
        return new PriceCurve(slots);
    }
}

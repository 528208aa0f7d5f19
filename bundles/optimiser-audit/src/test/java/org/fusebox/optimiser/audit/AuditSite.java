package org.fusebox.optimiser.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;

/**
 * A site whose physics is known: a noisy base load, chargers that draw a true power but may report a
 * different one (a dishonest meter scales power, session energy and register alike), EVs whose SoC rises by
 * what really reached them, and a grid meter with import register.
 */
final class AuditSite {

    static final class Charger {
        final String id;
        double trueW = 11_000;
        double claim = 1.0;
        double evEfficiency = 0.9;
        boolean online = true;
        boolean reportsSoc = true;
        double capacityWh = 60_000;
        String session;
        Instant startedAt;
        double delivered;
        double meterTotal = 1_000_000;
        double soc;

        Charger(String id) {
            this.id = id;
        }
    }

    final Map<String, Charger> chargers = new LinkedHashMap<>();
    final Duration step = Duration.ofSeconds(10);
    final Random noise;
    final double baseW;
    Instant now = TestSites.T0;
    double importWh = 5_000_000;
    long cycle;

    AuditSite(long seed, double baseW) {
        this.noise = new Random(seed);
        this.baseW = baseW;
    }

    Charger charger(String id) {
        return chargers.computeIfAbsent(id, Charger::new);
    }

    void plug(String id, String session, double socPercent) {
        Charger c = charger(id);
        c.session = session;
        c.startedAt = now;
        c.delivered = 0;
        c.soc = socPercent;
    }

    void unplug(String id) {
        charger(id).session = null;
    }

    /** Lets one step pass and returns the snapshot at its end. */
    SiteSnapshot next() {
        double hours = step.toNanos() / 3.6e12;
        double total = baseW * (1 + 0.1 * (noise.nextDouble() - 0.5));
        for (Charger c : chargers.values()) {
            if (c.session != null) {
                double wh = c.trueW * hours;
                total += c.trueW;
                c.delivered += c.claim * wh;
                c.meterTotal += c.claim * wh;
                c.soc = Math.min(100, c.soc + wh * c.evEfficiency / c.capacityWh * 100);
            }
        }
        importWh += total * hours;
        now = now.plus(step);
        cycle++;
        return snapshot(total);
    }

    List<SiteSnapshot> run(int steps) {
        List<SiteSnapshot> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            out.add(next());
        }
        return out;
    }

    private SiteSnapshot snapshot(double gridW) {
        double perPhase = gridW / (3 * 230);
        MeterReading m = new MeterReading(now, Power.ofWatts(gridW), PhaseCurrents.ofAmps(perPhase, perPhase, perPhase),
                Voltage.NOMINAL_230, Energy.ofWattHours(importWh), Energy.ZERO);
        SiteSnapshot.Builder b = SiteSnapshot.builder(TestSites.limits(400, 2)).cycle(cycle).timestamp(now)
                .grid(new GridState("grid", "grid", DeviceStatus.online(now), m));
        for (Charger c : chargers.values()) {
            ConnectorInfo info = new ConnectorInfo(1, TestSites.THREE, Current.ofAmps(6), Current.ofAmps(32), Current.ofAmps(6));
            if (!c.online) {
                b.charger(new ChargerState(c.id, c.id, DeviceStatus.offline("rebooting", now), List.of(info), null));
                continue;
            }
            boolean charging = c.session != null;
            double reportedW = charging ? c.claim * c.trueW : 0;
            EvSession s = charging ? new EvSession(c.session, null, c.startedAt, Energy.ofWattHours(c.delivered), null, null,
                    c.reportsSoc ? Percent.of(Math.floor(c.soc)) : null, c.reportsSoc ? Energy.ofWattHours(c.capacityWh) : null) : null;
            ConnectorReading r = new ConnectorReading(1, charging ? ConnectorState.CHARGING : ConnectorState.AVAILABLE,
                    Power.ofWatts(reportedW), PhaseBudget.connectorDraw(info, Current.ofAmps(reportedW / 690)),
                    Current.ofAmps(32), Energy.ofWattHours(c.meterTotal), s);
            b.charger(new ChargerState(c.id, c.id, DeviceStatus.online(now), List.of(info), new ChargerReading(now, List.of(r))));
        }
        return b.build();
    }
}

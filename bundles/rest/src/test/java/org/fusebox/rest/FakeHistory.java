package org.fusebox.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/** A session history over a list the test fills. */
final class FakeHistory implements SessionHistory {

    final List<ChargingSession> sessions = new ArrayList<>();

    /** A session of one priced quarter hour per entry of {@code wattHours} (prices in EUR/MWh, null: unknown). */
    static ChargingSession session(String id, String idTag, Instant start, Instant end, double[] wattHours, String[] prices) {
        List<SlotEnergy> slots = new ArrayList<>();
        double sum = 0;
        Money cost = null;
        for (int i = 0; i < wattHours.length; i++) {
            EnergyPrice p = prices[i] == null ? null : EnergyPrice.perMegawattHour(prices[i], "EUR");
            Energy e = Energy.ofWattHours(wattHours[i]);
            Money c = p == null ? null : p.costOf(e);
            slots.add(new SlotEnergy(start.plus(Duration.ofMinutes(15L * i)), Duration.ofMinutes(15), e, p, c,
                    p == null ? null : "csv", null));
            sum += wattHours[i];
            if (c != null) {
                cost = cost == null ? c : cost.plus(c);
            }
        }
        String[] parts = id.split("/");
        return new ChargingSession(id, parts[0], Integer.parseInt(parts[1]), parts[2], idTag, start, end,
                end == null ? SessionStatus.ACTIVE : SessionStatus.FINISHED, Energy.ofWattHours(sum), slots, cost, 0,
                end == null ? start.plus(Duration.ofMinutes(15L * wattHours.length)) : end);
    }

    @Override
    public List<ChargingSession> sessions(Instant from, Instant to) {
        return sessions.stream().filter(s -> s.overlaps(from, to)).sorted(Comparator.comparing(ChargingSession::start)).toList();
    }

    @Override
    public List<ChargingSession> sessions(String idTag, Instant from, Instant to) {
        return sessions(from, to).stream().filter(s -> idTag.equals(s.idTag())).toList();
    }

    @Override
    public Optional<ChargingSession> session(String id) {
        return sessions.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    @Override
    public Optional<ChargingSession> active(ConnectorRef connector) {
        return sessions.stream().filter(s -> s.active() && s.connector().equals(connector)).findFirst();
    }

    @Override
    public List<ChargingSession> active() {
        return sessions.stream().filter(ChargingSession::active).toList();
    }
}

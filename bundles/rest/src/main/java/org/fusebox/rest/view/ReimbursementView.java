package org.fusebox.rest.view;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.units.Money;
import org.fusebox.rest.view.SessionRecordView.MoneyView;

/**
 * The home-charging reimbursement report: the sessions that started in a period, per driver id tag, with
 * their metered energy and their cost at the price in force in each slot, and totals. Each session is in the
 * report of the period it started in, so consecutive periods never count one twice.
 *
 * @param from    period start (inclusive)
 * @param to      period end (exclusive)
 * @param zone    the time zone the period's dates were read in
 * @param idTag   the id tag asked for, or null for every driver
 * @param drivers one entry per id tag, sorted
 * @param total   every driver together
 */
public record ReimbursementView(Instant from, Instant to, String zone, String idTag, List<Driver> drivers, Totals total) {

    /**
     * @param idTag    the driver's token ({@code ""} for sessions without one)
     * @param sessions the driver's sessions, by start
     * @param total    the driver's totals
     */
    public record Driver(String idTag, List<Line> sessions, Totals total) {
    }

    /**
     * One session of the report.
     *
     * @param sessionId    session id
     * @param chargerId    charger
     * @param connectorId  connector
     * @param start        start
     * @param end          end, null while active
     * @param status       ACTIVE, FINISHED or LOST
     * @param energyKwh    metered energy, kWh (three decimals)
     * @param cost         cost, null when no price was known
     * @param costComplete false when some of the energy has no known price
     */
    public record Line(String sessionId, String chargerId, int connectorId, Instant start, Instant end, String status,
            String energyKwh, MoneyView cost, boolean costComplete) {
    }

    /**
     * @param sessions     number of sessions
     * @param energyKwh    energy, kWh (three decimals)
     * @param costs        the exact sum of the sessions' costs, one per currency
     * @param costComplete false when some energy has no known price: the costs are then a lower bound
     */
    public record Totals(int sessions, String energyKwh, List<MoneyView> costs, boolean costComplete) {
    }

    private static final class Sum {
        int sessions;
        double wh;
        final Map<String, Money> costs = new TreeMap<>();
        boolean complete = true;

        void add(ChargingSession s) {
            sessions++;
            wh += s.energy().wattHours();
            if (s.cost() != null) {
                costs.merge(s.cost().currency().getCurrencyCode(), s.cost(), Money::plus);
            }
            complete &= s.costComplete();
        }

        Totals totals() {
            return new Totals(sessions, kwh(wh), costs.values().stream().map(MoneyView::of).toList(), complete);
        }
    }

    /** @param sessions the sessions overlapping the period; those that started in it are reported */
    public static ReimbursementView of(List<ChargingSession> sessions, Instant from, Instant to, ZoneId zone, String idTag) {
        Map<String, List<ChargingSession>> byTag = new TreeMap<>();
        for (ChargingSession s : sessions) {
            if (!s.start().isBefore(from) && s.start().isBefore(to) && (idTag == null || idTag.equals(s.idTag()))) {
                byTag.computeIfAbsent(s.idTag() == null ? "" : s.idTag(), k -> new ArrayList<>()).add(s);
            }
        }
        Sum all = new Sum();
        List<Driver> drivers = new ArrayList<>();
        for (Map.Entry<String, List<ChargingSession>> e : byTag.entrySet()) {
            Sum sum = new Sum();
            List<Line> lines = new ArrayList<>();
            for (ChargingSession s : e.getValue()) {
                sum.add(s);
                all.add(s);
                lines.add(new Line(s.id(), s.chargerId(), s.connectorId(), s.start(), s.end(), s.status().name(),
                        kwh(s.energy().wattHours()), MoneyView.of(s.cost()), s.costComplete()));
            }
            drivers.add(new Driver(e.getKey(), lines, sum.totals()));
        }
        return new ReimbursementView(from, to, zone.getId(), idTag, drivers, all.totals());
    }

    static String kwh(double wh) {
        return BigDecimal.valueOf(wh).divide(BigDecimal.valueOf(1000)).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * The report as CSV (RFC 4180, comma, CRLF): one row per session, then one {@code TOTAL} row per driver
     * and per currency, then the {@code ALL} rows. Costs are rounded to the currency's minor unit; totals are
     * the rounded exact sums, so a total may differ by a cent from the sum of its rounded rows.
     */
    public String csv() {
        StringBuilder out = new StringBuilder();
        row(out, "idTag", "sessionId", "chargerId", "connectorId", "start", "end", "status", "energyKwh", "cost", "currency",
                "costComplete");
        for (Driver d : drivers) {
            for (Line l : d.sessions()) {
                row(out, d.idTag(), l.sessionId(), l.chargerId(), String.valueOf(l.connectorId()), l.start().toString(),
                        l.end() == null ? "" : l.end().toString(), l.status(), l.energyKwh(),
                        l.cost() == null ? "" : l.cost().rounded(), l.cost() == null ? "" : l.cost().currency(),
                        String.valueOf(l.costComplete()));
            }
            totalRows(out, d.idTag(), "TOTAL", d.total());
        }
        totalRows(out, "", "ALL", total);
        return out.toString();
    }

    private static void totalRows(StringBuilder out, String idTag, String label, Totals t) {
        if (t.costs().isEmpty()) {
            row(out, idTag, label, "", "", "", "", String.valueOf(t.sessions()), t.energyKwh(), "", "", String.valueOf(t.costComplete()));
        }
        for (MoneyView m : t.costs()) {
            row(out, idTag, label, "", "", "", "", String.valueOf(t.sessions()), t.energyKwh(), m.rounded(), m.currency(),
                    String.valueOf(t.costComplete()));
        }
    }

    private static void row(StringBuilder out, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(escape(cells[i]));
        }
        out.append("\r\n");
    }

    /** Quotes a cell that needs it; a cell starting with = + - @ is prefixed so that spreadsheets do not run it. */
    static String escape(String cell) {
        String c = cell == null ? "" : cell;
        if (!c.isEmpty() && "=+-@".indexOf(c.charAt(0)) >= 0 && !c.matches("-?[0-9.]+")) {
            c = "'" + c;
        }
        if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
            return "\"" + c.replace("\"", "\"\"") + "\"";
        }
        return c;
    }
}

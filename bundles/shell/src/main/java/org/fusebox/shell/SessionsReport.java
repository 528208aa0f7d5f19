package org.fusebox.shell;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.fusebox.api.session.ChargingSession;

/** The most recent charging sessions, one line each: when, where, who, energy and cost. */
final class SessionsReport {

    static final String NONE = "No charging session recorded yet.";
    static final String NOT_INSTALLED = "Charging sessions are not recorded: feature:install fusebox-sessions";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final String ROW = "%-16s  %-16s  %-12s  %-8s  %10s  %14s  %s%n";

    private SessionsReport() {
    }

    /** @param sessions ordered by start; the last {@code count} are shown, newest first */
    static void print(List<ChargingSession> sessions, int count, ZoneId zone, PrintStream out) {
        if (sessions.isEmpty()) {
            out.println(NONE);
            return;
        }
        out.printf(Locale.ROOT, ROW, "start", "connector", "id tag", "status", "energy", "cost", "session");
        int from = Math.max(0, sessions.size() - count);
        for (int i = sessions.size() - 1; i >= from; i--) {
            ChargingSession s = sessions.get(i);
            out.printf(Locale.ROOT, ROW, WHEN.format(s.start().atZone(zone)), s.chargerId() + "/" + s.connectorId(),
                    s.idTag() == null ? Format.NONE : s.idTag(), s.status(), Format.kilowattHours(s.energy()), cost(s),
                    s.id() + (s.meterAnomalies() > 0 ? " (" + s.meterAnomalies() + " meter anomalies)" : ""));
        }
        if (from > 0) {
            out.println("... " + from + " older session(s) not shown (--count)");
        }
    }

    static String cost(ChargingSession s) {
        if (s.cost() == null) {
            return s.energy().wattHours() > 0 ? "no prices" : Format.NONE;
        }
        String amount = s.cost().rounded().amount().toPlainString() + " " + s.cost().currency().getCurrencyCode();
        return s.costComplete() ? amount : ">= " + amount;
    }
}

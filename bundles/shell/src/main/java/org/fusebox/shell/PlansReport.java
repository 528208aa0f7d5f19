package org.fusebox.shell;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.units.Money;
import org.fusebox.api.units.PowerSlot;

/**
 * What each planning optimiser intends, one line per EV or battery: energy planned against wanted, the
 * deadline, the expected cost, and the next slots' power, so an operator sees at a glance whether every
 * EV will be ready and what it will cost.
 */
final class PlansReport {

    static final String NO_PLANS = "No planning optimiser reported a plan in the last cycle "
            + "(install fusebox-optimiser-ev-deadline or fusebox-optimiser-battery, and a price feed).";

    /** Slots shown per line: enough for the next hours without wrapping a wide console. */
    static final int SLOTS_SHOWN = 8;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private PlansReport() {
    }

    static void print(CycleReport report, ZoneId zone, PrintStream out) {
        if (report.plans().isEmpty()) {
            out.println(NO_PLANS);
            return;
        }
        for (Plan plan : report.plans()) {
            out.println(plan.optimiser() + " (planned at " + TIME.format(plan.computedAt().atZone(zone)) + ", expected cost "
                    + money(plan.expectedCost()) + ")");
            plan.notes().forEach(n -> out.println("  note: " + n));
            for (PlanLine line : plan.lines()) {
                out.println("  " + device(line) + ": " + Format.kilowattHours(line.planned())
                        + (line.wanted() == null ? "" : " of " + Format.kilowattHours(line.wanted()))
                        + (line.deadline() == null ? "" : " by " + TIME.format(line.deadline().atZone(zone)))
                        + ", " + money(line.expectedCost()) + (line.targetMet() ? "" : ", TARGET MISSED")
                        + (line.note().isEmpty() ? "" : " - " + line.note()));
                StringBuilder slots = new StringBuilder("    ");
                line.power().stream().limit(SLOTS_SHOWN).forEach(s -> slots.append(slot(s, zone)).append("  "));
                if (line.power().size() > SLOTS_SHOWN) {
                    slots.append("... ").append(line.power().size() - SLOTS_SHOWN).append(" more");
                }
                out.println(slots.toString().stripTrailing());
            }
        }
    }

    private static String device(PlanLine line) {
        return line.connectorId() == null ? line.deviceId() : line.deviceId() + "/" + line.connectorId();
    }

    private static String slot(PowerSlot s, ZoneId zone) {
        return TIME.format(s.start().atZone(zone)) + " " + String.format(Locale.ROOT, "%.1f", s.power().kilowatts());
    }

    private static String money(Money m) {
        return m == null ? "no prices" : m.rounded().amount().toPlainString() + " " + m.currency().getCurrencyCode();
    }
}

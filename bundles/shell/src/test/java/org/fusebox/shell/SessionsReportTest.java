package org.fusebox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.Test;

class SessionsReportTest {

    private static final Instant T0 = Instant.parse("2024-05-01T22:00:00Z");

    static ChargingSession session(int n, String price, double wh) {
        Instant start = T0.plus(Duration.ofHours(n));
        EnergyPrice p = price == null ? null : EnergyPrice.perMegawattHour(price, "EUR");
        Energy e = Energy.ofWattHours(wh);
        SlotEnergy slot = new SlotEnergy(start, Duration.ofMinutes(15), e, p, p == null ? null : p.costOf(e), null, null);
        return new ChargingSession("cp1/1/" + n, "cp1", 1, String.valueOf(n), n % 2 == 0 ? "TAG" + n : null, start,
                start.plus(Duration.ofMinutes(15)), SessionStatus.FINISHED, e, List.of(slot), p == null ? null : p.costOf(e),
                n == 2 ? 1 : 0, start);
    }

    private static String print(List<ChargingSession> sessions, int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SessionsReport.print(sessions, count, ZoneOffset.UTC, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void newestFirstWithEnergyAndCost() {
        List<ChargingSession> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(session(i, i == 3 ? null : "200", 11_000 + i));
        }
        String[] lines = print(all, 3).split("\\R");

        assertThat(lines[0]).contains("start", "energy", "cost");
        assertThat(lines[1]).contains("2024-05-02 01:00", "cp1/1", "no prices", "cp1/1/3");
        assertThat(lines[2]).contains("TAG2", "2.20 EUR", "(1 meter anomalies)");
        assertThat(lines[3]).contains("cp1/1/1", "2.20 EUR");
        assertThat(lines[4]).contains("1 older session(s) not shown");
    }

    @Test
    void nothingRecordedYetIsSaid() {
        assertThat(print(List.of(), 20)).contains(SessionsReport.NONE);
    }
}

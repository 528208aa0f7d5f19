package org.fusebox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.health.Health;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionHistory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The commands as Karaf runs them: fields injected, output on System.out (Karaf routes it to the session). */
class CommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOut() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOut() {
        System.setOut(original);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sessionsSaysWhatToInstallThenListsOneDriversSessions() {
        SessionsCommand command = new SessionsCommand();
        command.execute();
        assertThat(output()).contains(SessionsReport.NOT_INSTALLED);

        List<ChargingSession> all = List.of(SessionsReportTest.session(1, "100", 1000),
                SessionsReportTest.session(2, "100", 2000));
        command.history = new SessionHistory() {
            @Override
            public List<ChargingSession> sessions(Instant from, Instant to) {
                return all;
            }

            @Override
            public List<ChargingSession> sessions(String idTag, Instant from, Instant to) {
                return all.stream().filter(x -> idTag.equals(x.idTag())).toList();
            }

            @Override
            public Optional<ChargingSession> session(String id) {
                return Optional.empty();
            }

            @Override
            public Optional<ChargingSession> active(ConnectorRef c) {
                return Optional.empty();
            }

            @Override
            public List<ChargingSession> active() {
                return List.of();
            }
        };
        command.idTag = "TAG2";
        command.execute();
        assertThat(output()).contains("cp1/1/2", "TAG2", "0.20 EUR").doesNotContain("cp1/1/1 ");
        command.count = 0;
        command.execute();
        assertThat(output()).contains("--count must be 1 or more");
    }

    @Test
    void statusWithoutAControlLoopStillShowsHealth() {
        StatusCommand command = new StatusCommand();
        command.healthIndicators = List.of(ComponentHealthTest.indicator("simulator", () -> Health.down("meter offline")));

        assertThat(command.execute()).isNull();

        assertThat(output()).contains("no control loop is running", "DOWN      simulator  meter offline");
    }

    @Test
    void statusShowsTheLastCycle() {
        StatusCommand command = new StatusCommand();
        command.controlLoop = SampleSite.loop(SampleSite.RUNNING, SampleSite.report());

        command.execute();

        assertThat(output()).contains("RUNNING", "#1234", "import 7.36 kW", "no health indicators registered");
    }

    @Test
    void devicesSaysWhyThereIsNoTable() {
        DevicesCommand command = new DevicesCommand();
        command.execute();
        command.controlLoop = SampleSite.loop(SampleSite.RUNNING, null);
        command.execute();

        assertThat(output()).contains(DevicesMessages.NO_CONTROL_LOOP, DevicesMessages.NO_CYCLE);
    }

    @Test
    void devicesPrintsTheCycleAndTheTable() {
        DevicesCommand command = new DevicesCommand();
        command.controlLoop = SampleSite.loop(SampleSite.RUNNING, SampleSite.report());

        command.execute();

        assertThat(output()).contains("As seen by cycle #1234 at 2024-05-01T12:00:01.500Z site time (RUNNING)", "cp-1/2", "0 A (paused)");
    }
}

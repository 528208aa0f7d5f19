package org.fusebox.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

/** The component with its store on disk: what survives a restart, a torn line, and the retention. */
class SessionsComponentTest {

    @TempDir
    Path dir;

    private final Site site = new Site();

    static SessionsConfig config(Path store, int retentionDays) {
        SessionsConfig d = SessionsComponent.defaults();
        return new SessionsConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SessionsConfig.class;
            }

            @Override
            public String storeFile() {
                return store.toString();
            }

            @Override
            public int retentionDays() {
                return retentionDays;
            }

            @Override
            public int lostAfterMinutes() {
                return d.lostAfterMinutes();
            }

            @Override
            public int gapMinutes() {
                return d.gapMinutes();
            }

            @Override
            public int readoptWithinMinutes() {
                return d.readoptWithinMinutes();
            }

            @Override
            public int maxConnectorKw() {
                return d.maxConnectorKw();
            }

            @Override
            public int persistSeconds() {
                return d.persistSeconds();
            }

            @Override
            public String reportZone() {
                return "Europe/Brussels";
            }
        };
    }

    private SessionsComponent start() {
        SessionsComponent c = new SessionsComponent(dir);
        c.configure(config(dir.resolve("sessions.jsonl"), 400));
        return c;
    }

    @Test
    void anActiveSessionGoesOnAfterARestartWithItsEnergyAndCost() {
        site.prices(Site.quarterHours(Site.T0, "100", "100", "100", "100"));
        SessionsComponent first = start();
        first.observe(site.at(Site.T0).charging("cp1", "7", "TAG1", 10_000).build());
        first.observe(site.plus(Duration.ofMinutes(10)).charging("cp1", "7", "TAG1", 11_000).build());
        first.deactivate();

        SessionsComponent second = start();
        assertThat(second.active(new ConnectorRef("cp1", 1))).hasValueSatisfying(s ->
                assertThat(s.energy().wattHours()).isCloseTo(1000, within(1e-9)));
        second.observe(site.plus(Duration.ofMinutes(2)).charging("cp1", "7", "TAG1", 11_500).build());
        ChargingSession s = second.session("cp1/1/7").orElseThrow();
        assertThat(s.energy().wattHours()).isCloseTo(1500, within(1e-9));
        assertThat(s.cost()).isEqualTo(Money.of("0.15", "EUR"));
        assertThat(s.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(second.health().status()).isEqualTo(HealthStatus.DEGRADED); // no control loop in this test
    }

    @Test
    void aSessionThatEndedWhileTheGatewayWasDownIsClosedAsLostWhenLastSeen() {
        SessionsComponent first = start();
        first.observe(site.at(Site.T0).charging("cp1", "7", "TAG1", 0).build());
        Instant lastSeen = site.plus(Duration.ofMinutes(10)).now();
        first.observe(site.charging("cp1", "7", "TAG1", 1000).build());
        first.deactivate();

        SessionsComponent second = start();
        second.observe(site.plus(Duration.ofHours(2)).connector("cp1", ConnectorState.AVAILABLE, null,
                null, 1000, site.now()).build());
        ChargingSession s = second.session("cp1/1/7").orElseThrow();
        assertThat(s.status()).isEqualTo(SessionStatus.LOST);
        assertThat(s.end()).isEqualTo(lastSeen);
        assertThat(second.active()).isEmpty();

        // and that is what a third start reads
        second.deactivate();
        assertThat(start().session("cp1/1/7")).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(SessionStatus.LOST));
    }

    @Test
    void aTornLastLineIsSkippedWithAWarningAndTheRestIsKept() throws IOException {
        SessionsComponent first = start();
        first.observe(site.at(Site.T0).charging("cp1", "7", "TAG1", 0).build());
        first.observe(site.plus(Duration.ofMinutes(10)).charging("cp1", "7", "TAG1", 1000).build());
        first.deactivate();
        Path file = dir.resolve("sessions.jsonl");
        Files.writeString(file, "{\"id\":\"cp1/1/8\",\"chargerId\":\"cp", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        SessionsComponent second = start();
        assertThat(second.session("cp1/1/7")).isPresent();
        assertThat(second.session("cp1/1/8")).isEmpty();
        assertThat(second.health().details()).anyMatch(d -> d.contains("unreadable line"));
        // the torn line is gone from the file after the compaction at start, and appends go on cleanly
        second.observe(site.plus(Duration.ofMinutes(1)).charging("cp1", "7", "TAG1", 1100).build());
        second.deactivate();
        assertThat(Files.readAllLines(file)).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        assertThat(start().session("cp1/1/7").orElseThrow().energy().wattHours()).isCloseTo(1100, within(1e-9));
    }

    @Test
    void sessionsPastTheRetentionArePrunedFromMemoryAndDisk() throws IOException {
        Path store = dir.resolve("sessions.jsonl");
        SessionsComponent c = new SessionsComponent(dir);
        c.configure(config(store, 1));
        c.observe(site.at(Site.T0).charging("cp1", "7", null, 0).build());
        c.observe(site.plus(Duration.ofMinutes(10)).charging("cp1", "7", null, 1000).build());
        c.observe(site.plus(Duration.ofMinutes(1)).connector("cp1", ConnectorState.AVAILABLE, null, null,
                1000, site.now()).build());
        assertThat(c.session("cp1/1/7")).isPresent();
        c.observe(site.plus(Duration.ofDays(2)).charging("cp1", "9", null, 1000).build());
        assertThat(c.session("cp1/1/7")).isEmpty();
        assertThat(c.session("cp1/1/9")).isPresent();
        assertThat(Files.readString(store)).doesNotContain("cp1/1/7");
    }

    @Test
    void recordsWhatTheControlLoopsLastCycleSawWhenACycleCompletes() {
        SessionsComponent c = start();
        SiteSnapshot[] last = { site.at(Site.T0).charging("cp1", "7", "TAG1", 0).build() };
        c.setControlLoop(new ControlLoop() {
            @Override
            public void requestCycle(String reason) {
            }

            @Override
            public ControlState state() {
                return new ControlState(ControlMode.RUNNING, List.of(),
                        Site.T0);
            }

            @Override
            public Optional<CycleReport> lastCycle() {
                return Optional.of(new CycleReport(last[0], "period", List.of(),
                        Setpoints.empty(), Setpoints.empty(), List.of(),
                        Map.of(), state(), Duration.ofMillis(1)));
            }
        });
        Event cycle = new Event(FuseboxEvents.CYCLE_COMPLETED,
                Map.of());
        c.handleEvent(cycle);
        last[0] = site.plus(Duration.ofMinutes(5)).charging("cp1", "7", "TAG1", 700).build();
        c.handleEvent(cycle);
        c.handleEvent(cycle); // the same cycle again counts nothing twice

        assertThat(c.active(new ConnectorRef("cp1", 1))).hasValueSatisfying(s -> {
            assertThat(s.energy().wattHours()).isCloseTo(700, within(1e-9));
            assertThat(s.idTag()).isEqualTo("TAG1");
        });
        assertThat(c.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aRefusedConfigurationKeepsThePreviousOneAndSaysWhy() {
        SessionsComponent c = start();
        SessionsConfig good = config(dir.resolve("sessions.jsonl"), 400);
        c.configure(new SessionsConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SessionsConfig.class;
            }

            @Override
            public String storeFile() {
                return good.storeFile();
            }

            @Override
            public int retentionDays() {
                return 0;
            }

            @Override
            public int lostAfterMinutes() {
                return good.lostAfterMinutes();
            }

            @Override
            public int gapMinutes() {
                return good.gapMinutes();
            }

            @Override
            public int readoptWithinMinutes() {
                return good.readoptWithinMinutes();
            }

            @Override
            public int maxConnectorKw() {
                return good.maxConnectorKw();
            }

            @Override
            public int persistSeconds() {
                return good.persistSeconds();
            }

            @Override
            public String reportZone() {
                return "Mars/Olympus";
            }
        });
        assertThat(c.health().details()).anyMatch(d -> d.contains("refused") && d.contains("reportZone"));
        assertThat(c.zone().getId()).isEqualTo("Europe/Brussels");
        c.configure(good);
        assertThat(c.health().details()).noneMatch(d -> d.contains("refused"));
    }

    @Test
    void twoStoredActiveSessionsOnOneConnectorLeaveOnlyTheNewerActive() throws IOException {
        ChargingSession older = new ChargingSession("cp1/1/5", "cp1", 1, "5", null, Site.T0, null, SessionStatus.ACTIVE,
                Energy.ZERO, List.of(), null, 0, Site.T0.plusSeconds(60));
        ChargingSession newer = new ChargingSession("cp1/1/6", "cp1", 1, "6", null, Site.T0.plusSeconds(120), null,
                SessionStatus.ACTIVE, Energy.ZERO, List.of(), null, 0, Site.T0.plusSeconds(180));
        new SessionStore(dir.resolve("sessions.jsonl")).append(List.of(new SessionStore.Entry(newer), new SessionStore.Entry(older)));

        SessionsComponent c = start();

        assertThat(c.active()).extracting(ChargingSession::id).containsExactly("cp1/1/6");
        assertThat(c.session("cp1/1/5")).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo(SessionStatus.LOST);
            assertThat(s.end()).isEqualTo(Site.T0.plusSeconds(60));
        });
        c.deactivate();
        assertThat(start().session("cp1/1/5").orElseThrow().status()).isEqualTo(SessionStatus.LOST);
    }

    @Test
    void queriesFilterByPeriodAndIdTag() {
        SessionsComponent c = start();
        c.observe(site.at(Site.T0).charging("cp1", "7", "A", 0).charging("cp2", "8", "B", 0).build());
        c.observe(site.plus(Duration.ofMinutes(10)).charging("cp1", "7", "A", 100).charging("cp2", "8", "B", 100).build());
        assertThat(c.sessions(Site.T0, Site.T0.plus(Duration.ofHours(1)))).hasSize(2);
        assertThat(c.sessions("A", Site.T0, Site.T0.plus(Duration.ofHours(1)))).extracting(ChargingSession::id)
                .containsExactly("cp1/1/7");
        assertThat(c.sessions(Site.T0.minus(Duration.ofHours(2)), Site.T0)).isEmpty();
        assertThat(c.active()).hasSize(2);
        assertThat(c.zone().getId()).isEqualTo("Europe/Brussels");
    }
}

package org.fusebox.vpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.CloudPublisher;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service with a fake control loop and cloud link: the VPP-V1 JSON in and out, publishing, health, configuration. */
class VppServiceTest {

    static final Instant T0 = VppParticipantTest.T0;

    private final MutableClock clock = new MutableClock(T0);
    private final VppService vpp = new VppService(clock, false);
    private final List<CloudMessage> published = new CopyOnWriteArrayList<>();
    private volatile CycleReport last;
    private long cycle;

    @BeforeEach
    void setUp() {
        vpp.activate(new Configs());
        vpp.controlLoop = new ControlLoop() {
            @Override
            public void requestCycle(String reason) {
            }

            @Override
            public ControlState state() {
                return new ControlState(ControlMode.RUNNING, List.of(), T0);
            }

            @Override
            public Optional<CycleReport> lastCycle() {
                return Optional.ofNullable(last);
            }
        };
        vpp.publisher = new CloudPublisher() {
            @Override
            public String publish(CloudMessage message) throws CloudException {
                published.add(message);
                return "m" + published.size();
            }

            @Override
            public CompletionStage<String> publishAsync(CloudMessage message) {
                published.add(message);
                return CompletableFuture.completedFuture("m" + published.size());
            }

            @Override
            public boolean isConnected() {
                return true;
            }
        };
    }

    /** Samples every 5 s until {@code minutes} after T0 at {@code kw}. */
    private void run(double minutes, double kw) {
        Instant until = T0.plusMillis((long) (minutes * 60_000));
        while (clock.instant().isBefore(until)) {
            last = Cycles.at(VppParticipantTest.SITE, ++cycle, clock.instant(), kw);
            vpp.tick();
            clock.advance(Duration.ofSeconds(5));
        }
    }

    private CloudResponse request(String method, String resource, String body) {
        return vpp.handle(new CloudRequest("r1", "vpp-cloud", "VPP-V1", method, resource, body.getBytes(StandardCharsets.UTF_8)),
                (step, percent, message) -> { });
    }

    private static JsonNode json(CloudResponse r) throws Exception {
        return VppJson.JSON.readTree(r.body());
    }

    private static JsonNode json(CloudMessage m) throws Exception {
        return VppJson.JSON.readTree(m.payload());
    }

    @Test
    void flexibilityIsAnsweredAndPublishedPeriodically() throws Exception {
        run(0.1, 10);
        CloudResponse r = request("GET", "flexibility", "");
        assertThat(r.status()).isEqualTo(200);
        JsonNode f = json(r);
        assertThat(f.get("slotMinutes").asInt()).isEqualTo(15);
        assertThat(f.get("planningLimitKw").asDouble()).isEqualTo(26.22);
        assertThat(f.get("slots")).hasSize(16);
        JsonNode first = f.get("slots").get(0);
        assertThat(first.get("start").asText()).isEqualTo("2026-01-15T18:00:05Z"); // the latest cycle's time
        assertThat(first.get("shedKw").asDouble()).isEqualTo(10);
        assertThat(first.get("shedUntil").asText()).isEqualTo("2026-01-15T18:45:00Z");
        assertThat(first.get("addKw").asDouble()).isEqualTo(10);
        assertThat(first.get("referenceKw").asDouble()).isEqualTo(10);

        assertThat(published).singleElement().satisfies(m -> {
            assertThat(m.topic()).isEqualTo("vpp/flexibility");
            assertThat(m.priority()).isEqualTo(MessagePriority.TELEMETRY);
        });
        run(4.9, 10);
        assertThat(published).hasSize(1);
        run(5.1, 10);
        assertThat(published).hasSize(2);
    }

    @Test
    void flexibilityWithoutACycleSaysWhy() throws Exception {
        JsonNode f = json(request("GET", "flexibility", ""));
        assertThat(f.get("unavailable").asText()).isEqualTo("no control cycle seen yet");
        assertThat(f.get("slots")).isEmpty();
    }

    @Test
    void aDispatchBecomesAnImportLimitAndItsReportIsPublishedWhenItEnds() throws Exception {
        run(0.1, 10);
        CloudResponse r = request("EXEC", "dispatch",
                "{\"id\":\"evt-1\",\"start\":\"2026-01-15T18:30:00Z\",\"end\":\"2026-01-15T18:45:00Z\",\"importTargetKw\":4}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode d = json(r);
        assertThat(d.get("accepted").asBoolean()).isTrue();
        assertThat(d.get("requiredShedKw").asDouble()).isEqualTo(6);
        assertThat(d.get("offeredShedKw").asDouble()).isEqualTo(10);
        assertThat(vpp.signals()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(4000));
        assertThat(json(request("GET", "dispatches", "")).get("dispatches").get(0).get("id").asText()).isEqualTo("evt-1");

        run(30, 10);
        run(45, 3);
        run(46, 10);
        List<CloudMessage> reports = published.stream().filter(m -> m.topic().equals("vpp/reports")).toList();
        assertThat(reports).singleElement().satisfies(m -> {
            assertThat(m.priority()).isEqualTo(MessagePriority.EVENT);
            JsonNode rep = json(m);
            assertThat(rep.get("id").asText()).isEqualTo("evt-1");
            assertThat(rep.get("baselineKw").asDouble()).isEqualTo(10);
            assertThat(rep.get("measuredKw").asDouble()).isEqualTo(3);
            assertThat(rep.get("deliveredKw").asDouble()).isEqualTo(7);
            assertThat(rep.get("deliveredKwh").asDouble()).isEqualTo(1.75);
            assertThat(rep.get("targetMet").asBoolean()).isTrue();
        });
        assertThat(vpp.signals()).isEmpty();
        JsonNode kept = json(request("GET", "reports", ""));
        assertThat(kept.get("reports")).hasSize(1);
        assertThat(kept.get("reports").get(0).get("deliveredKwh").asDouble()).isEqualTo(1.75);
    }

    @Test
    void malformedDispatchesAreRefusedWithEveryReasonAndChangeNothing() throws Exception {
        run(0.1, 10);
        CloudResponse notJson = request("EXEC", "dispatch", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.message()).contains("not JSON");
        CloudResponse bad = request("EXEC", "dispatch",
                "{\"id\":\"x y\",\"start\":\"tomorrow\",\"importTargetKw\":\"4\",\"colour\":1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.message()).contains("unknown field 'colour'").contains("start 'tomorrow'").contains("end must be")
                .contains("importTargetKw must be a number");
        CloudResponse backwards = request("EXEC", "dispatch",
                "{\"id\":\"b\",\"start\":\"2026-01-15T19:00:00Z\",\"end\":\"2026-01-15T18:45:00Z\",\"importTargetKw\":4}");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.message()).contains("must end after it starts");
        CloudResponse negative = request("EXEC", "dispatch",
                "{\"id\":\"n\",\"start\":\"2026-01-15T18:30:00Z\",\"end\":\"2026-01-15T18:45:00Z\",\"importTargetKw\":-1}");
        assertThat(negative.status()).isEqualTo(400);
        CloudResponse tooMuch = request("EXEC", "dispatch",
                "{\"id\":\"big\",\"start\":\"2026-01-15T18:30:00Z\",\"end\":\"2026-01-15T20:30:00Z\",\"importTargetKw\":0}");
        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(json(tooMuch).get("accepted").asBoolean()).isFalse();
        assertThat(tooMuch.message()).contains("refused").contains("offers");
        assertThat(vpp.signals()).isEmpty();
        assertThat(json(request("GET", "dispatches", "")).get("dispatches")).isEmpty();
    }

    @Test
    void aCancelledDispatchLiftsItsLimitAndAReportIsPublishedWhenItRan() throws Exception {
        run(0.1, 10);
        request("EXEC", "dispatch", "{\"id\":\"c1\",\"start\":\"2026-01-15T18:30:00Z\",\"end\":\"2026-01-15T19:00:00Z\",\"importTargetKw\":4}");
        run(30, 10);
        run(35, 2);
        CloudResponse del = request("DEL", "dispatch/c1", "");
        assertThat(del.status()).isEqualTo(200);
        assertThat(json(del).get("report").get("cancelled").asBoolean()).isTrue();
        assertThat(json(del).get("report").get("deliveredKw").asDouble()).isEqualTo(8);
        assertThat(vpp.signals()).isEmpty();
        assertThat(published.stream().filter(m -> m.topic().equals("vpp/reports"))).hasSize(1);
        assertThat(request("DEL", "dispatch/c1", "").status()).isEqualTo(404);
    }

    @Test
    void unknownRequestsAreAnsweredWithWhatThereIs() {
        assertThat(request("GET", "nothing", "").status()).isEqualTo(404);
        assertThat(request("PUT", "dispatch", "").status()).isEqualTo(404);
        assertThat(request("DEL", "dispatch/", "").status()).isEqualTo(404);
        assertThat(request("PUT", "dispatch", "").message()).contains("GET flexibility");
        assertThat(vpp.app()).isEqualTo("VPP-V1");
        assertThat(vpp.id()).isEqualTo("vpp");
    }

    @Test
    void anInvalidConfigurationIsRefusedWithTheReasonAndThePreviousKept() {
        vpp.activate(new Configs() {
            @Override
            public int slotMinutes() {
                return 7;
            }

            @Override
            public int reportsKept() {
                return 0;
            }
        });
        assertThat(vpp.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(vpp.health().details().get(0)).contains("slotMinutes must divide 60").contains("reportsKept must be within 1..1000")
                .contains("previous one stays in force");
        assertThat(vpp.participant().settings()).isEqualTo(VppSettings.DEFAULTS);
        vpp.activate(new Configs() {
            @Override
            public int slotMinutes() {
                return 30;
            }
        });
        assertThat(vpp.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(vpp.participant().settings().slot()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aValueThatCannotBeConvertedIsRefusedLikeOneOutOfRange() {
        vpp.activate(new Configs() {
            @Override
            public int horizonHours() {
                throw new IllegalStateException("horizonHours: 'four' is not an integer");
            }
        });
        assertThat(vpp.health().details().get(0)).contains("'four' is not an integer").contains("previous one stays in force");
        assertThat(vpp.participant().settings()).isEqualTo(VppSettings.DEFAULTS);
    }

    @Test
    void healthSaysWhenThereIsNoControlLoopOrCloudLink() {
        vpp.controlLoop = null;
        assertThat(vpp.health().details()).singleElement().asString().contains("no control loop");
        vpp.controlLoop = new ControlLoop() {
            @Override
            public void requestCycle(String reason) {
            }

            @Override
            public ControlState state() {
                return null;
            }

            @Override
            public Optional<CycleReport> lastCycle() {
                return Optional.ofNullable(last);
            }
        };
        vpp.publisher = null;
        run(0.1, 10);
        assertThat(vpp.health().details()).singleElement().asString().contains("no cloud link");
    }
}

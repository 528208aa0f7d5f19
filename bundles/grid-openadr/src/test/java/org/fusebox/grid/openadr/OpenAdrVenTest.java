package org.fusebox.grid.openadr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VEN against a stateful loopback VTN, sequence by sequence; polls are run by hand unless a test starts the thread. */
class OpenAdrVenTest {

    private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private TestVtn vtn;
    private OpenAdrVen ven;
    private TestConfig config;

    @BeforeEach
    void start() throws Exception {
        vtn = new TestVtn(clock, "ven-client-1", TestConfig.SECRET);
        vtn.addProgram("p1", "DSO-envelope");
        config = new TestConfig();
        config.vtnUrl = vtn.url();
        ven = new OpenAdrVen(clock);
    }

    @AfterEach
    void stop() {
        ven.deactivate();
        vtn.close();
    }

    private void poll() {
        ven.session().pollOnce();
    }

    private static String limitEvent(String id, String start, String duration, double kw) {
        return "{'id':'" + id + "','programID':'p1','eventName':'envelope " + id + "',"
                + "'payloadDescriptors':[{'payloadType':'IMPORT_CAPACITY_LIMIT','units':'KW'}],"
                + "'intervals':[{'id':0,'intervalPeriod':{'start':'" + start + "','duration':'" + duration + "'},"
                + "'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[" + kw + "]}]}]}";
    }

    private void assertNoSecret(Health h) {
        assertThat(String.join("\n", h.details())).doesNotContain(TestConfig.SECRET)
                .doesNotContain(VtnClient.encode(TestConfig.SECRET)).doesNotContain("tok-");
    }

    @Test
    void registersTheVenAndItsResourcesOnceAndFindsThemAgainLater() {
        config.resourceNames = new String[] { "charger-1", "battery-1" };
        assertThat(ven.configureWithoutThread(config)).isTrue();
        poll();
        poll();
        assertThat(vtn.venNames()).containsExactly("fusebox-site-1");
        assertThat(vtn.resourceNames("fusebox-site-1")).containsExactly("charger-1", "battery-1");
        assertThat(vtn.requests("POST /vens")).hasSize(3); // the VEN and two resources, once
        assertThat(ven.session().venId()).isEqualTo("ven-1");
        assertThat(ven.id()).isEqualTo("openadr:fusebox-site-1");

        // another session (a restart) finds the VEN and its resources by name and creates nothing
        OpenAdrVen again = new OpenAdrVen(clock);
        again.configureWithoutThread(config);
        again.session().pollOnce();
        assertThat(again.session().venId()).isEqualTo("ven-1");
        assertThat(vtn.requests("POST /vens")).hasSize(3);
        assertThat(vtn.requests("GET /vens?venName=fusebox-site-1&skip=0&limit=50")).hasSize(2);
        assertThat(again.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void anEventAppearsAsASignalAndIsGoneOnceCancelled() {
        ven.configureWithoutThread(config);
        poll();
        assertThat(ven.signals()).isEmpty();
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);

        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT2H", 17));
        vtn.putEvent(limitEvent("ev2", "2026-12-08T11:00:00+01:00", "P9999Y", 40));
        poll();
        assertThat(ven.signals()).extracting(GridSignal::id, GridSignal::kind, GridSignal::value, GridSignal::end).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("ev1/0/IMPORT_CAPACITY_LIMIT", GridSignalKind.IMPORT_CAPACITY_LIMIT, 17_000.0,
                        Instant.parse("2026-12-08T12:00:00Z")),
                org.assertj.core.groups.Tuple.tuple("ev2/0/IMPORT_CAPACITY_LIMIT", GridSignalKind.IMPORT_CAPACITY_LIMIT, 40_000.0, null));
        assertThat(ven.signals().get(0).source()).isEqualTo("openadr:fusebox-site-1/DSO-envelope");
        assertThat(ven.health().details()).anyMatch(d -> d.contains("2 event(s), 2 signal(s), 2 in force now"));

        // changed at the VTN: the same id now says 5 kW
        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT2H", 5));
        vtn.deleteEvent("ev2");
        poll();
        assertThat(ven.signals()).extracting(GridSignal::id, GridSignal::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ev1/0/IMPORT_CAPACITY_LIMIT", 5_000.0));

        // cancelled the User Guide's way: beginning of time, PT0S
        vtn.putEvent(limitEvent("ev1", "0001-01-01T00:00:00Z", "PT0S", 5));
        poll();
        assertThat(ven.signals()).isEmpty();
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aSignalEndsWhenItEndsWithoutAPoll() {
        ven.configureWithoutThread(config);
        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT1H", 3));
        poll();
        assertThat(ven.signals()).hasSize(1);
        clock.advance(Duration.ofMinutes(59));
        assertThat(ven.signals()).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(ven.signals()).isEmpty();
    }

    @Test
    void theTokenIsRenewedBeforeItExpiresAndOnceMoreOnA401() {
        vtn.tokenLifetimeSeconds = 100;
        ven.configureWithoutThread(config);
        poll();
        assertThat(vtn.tokensIssued()).isEqualTo(1);
        assertThat(vtn.tokenForms.get(0)).contains("grant_type=client_credentials").contains("client_id=ven-client-1")
                .contains("client_secret=" + VtnClient.encode(TestConfig.SECRET));
        clock.advance(Duration.ofSeconds(60));
        poll();
        assertThat(vtn.tokensIssued()).as("still valid for 40 s: kept").isEqualTo(1);
        clock.advance(Duration.ofSeconds(11)); // 71 s of 100: inside the last 30 s, renewed before the VTN would refuse it
        poll();
        assertThat(vtn.tokensIssued()).isEqualTo(2);
        assertThat(vtn.requests.stream().filter(r -> !r.startsWith("POST /auth/token"))).isNotEmpty();

        // the VTN forgets every token: a 401, one new token, the request again, and the poll succeeds
        vtn.revokeTokens();
        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT1H", 3));
        poll();
        assertThat(vtn.tokensIssued()).isEqualTo(3);
        assertThat(ven.signals()).hasSize(1);
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void refusedCredentialsFailThePollWithoutShowingTheSecret() {
        config.clientSecret = "wrong-" + TestConfig.SECRET;
        ven.configureWithoutThread(config);
        poll();
        poll();
        poll();
        Health h = ven.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(h.details().get(0)).contains("3 poll(s) failed").contains("token request: HTTP 400 (invalid_client)")
                .contains("check clientId and clientSecret");
        assertNoSecret(h);
        assertThat(vtn.tokensIssued()).isZero();
        assertThat(ven.session().settings().toString()).doesNotContain(TestConfig.SECRET).contains("clientSecret=***");
    }

    @Test
    void aTokenThatIsRefusedTwiceFailsThePollAfterOneRetry() {
        ven.configureWithoutThread(config);
        poll();
        int before = vtn.tokensIssued();
        // every new token is revoked before it can be used: a 401, one new token, a 401 again, and no third try
        vtn.revokeTokens();
        vtn.tokenLifetimeSeconds = 0;
        poll();
        assertThat(vtn.tokensIssued()).isEqualTo(before + 1);
        assertThat(ven.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(ven.health().details().get(0)).contains("HTTP 401");
    }

    @Test
    void basicClientAuthenticationSendsTheCredentialsInTheHeader() {
        config.clientAuthentication = "BASIC";
        ven.configureWithoutThread(config);
        poll();
        assertThat(vtn.tokensIssued()).isEqualTo(1);
        assertThat(vtn.tokenForms.get(0)).isEqualTo("grant_type=client_credentials");
        assertThat(vtn.tokenAuthorizations.get(0)).startsWith("Basic ");
    }

    @Test
    void aVtnThatFailsKeepsThePreviousSignalsDegradedThenDown() {
        ven.configureWithoutThread(config);
        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT3H", 9));
        poll();
        assertThat(ven.signals()).hasSize(1);

        vtn.failStatus = 503;
        poll();
        assertThat(ven.signals()).extracting(GridSignal::value).containsExactly(9_000.0);
        Health one = ven.health();
        assertThat(one.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(one.details().get(0)).contains("1 poll(s) failed").contains("HTTP 503: the VTN is failing");
        assertThat(one.details().get(1)).contains("1 signal(s) not yet ended stay in force");

        vtn.failStatus = 0;
        vtn.brokenJson = true;
        poll();
        assertThat(ven.health().details().get(0)).contains("not valid JSON");
        vtn.brokenJson = false;
        vtn.stop(); // no answer at all
        poll();
        Health down = ven.health();
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.details().get(0)).contains("3 poll(s) failed").contains("no answer");
        assertThat(ven.signals()).hasSize(1);
        assertNoSecret(down);
        // still ends when it ends
        clock.advance(Duration.ofHours(3));
        assertThat(ven.signals()).isEmpty();
    }

    @Test
    void aVtnThatAnswersTooLateIsATimeoutAndTheVenRecovers() throws Exception {
        config.requestTimeoutSeconds = 1;
        ven.configureWithoutThread(config);
        poll();
        vtn.delayMillis = 1_500;
        long t = System.nanoTime();
        poll();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(3));
        assertThat(ven.health().details().get(0)).contains("timeout");
        vtn.delayMillis = 0;
        Thread.sleep(600); // let the late exchange end
        poll();
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aMalformedEventIsRefusedAndCountedWhileTheOthersApply() {
        ven.configureWithoutThread(config);
        vtn.putEvent(limitEvent("good", "2026-12-08T10:00:00Z", "PT1H", 4));
        vtn.putEvent(limitEvent("bad", "2026-12-08T10:00:00Z", "PT1H", -4));
        poll();
        assertThat(ven.signals()).extracting(GridSignal::id).containsExactly("good/0/IMPORT_CAPACITY_LIMIT");
        Health h = ven.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.details()).contains("1 event(s) refused, the others apply");
        assertThat(h.details()).anyMatch(d -> d.startsWith("event bad: interval 0: IMPORT_CAPACITY_LIMIT cannot be negative"));
        vtn.deleteEvent("bad");
        poll();
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void configuredProgramsAreAskedForOneByOneAndAMissingOneIsShown() {
        vtn.addProgram("p2", "other");
        config.programIds = new String[] { "p1", "p9" };
        ven.configureWithoutThread(config);
        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT1H", 4));
        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT1H", 4).replace("'ev1'", "'ev2'").replace("'p1'", "'p2'"));
        poll();
        assertThat(vtn.requests("GET /events")).containsExactly("GET /events?programID=p1&skip=0&limit=50",
                "GET /events?programID=p9&skip=0&limit=50");
        assertThat(ven.signals()).extracting(GridSignal::id).containsExactly("ev1/0/IMPORT_CAPACITY_LIMIT");
        assertThat(ven.health().details()).contains("program(s) not found at the VTN: p9");
    }

    @Test
    void manyEventsArePagedFiftyAtATime() {
        ven.configureWithoutThread(config);
        for (int i = 0; i < 120; i++) {
            vtn.putEvent(limitEvent("ev" + i, "2026-12-08T10:00:00Z", "PT1H", i));
        }
        poll();
        assertThat(ven.signals()).hasSize(120);
        assertThat(vtn.requests("GET /events")).containsExactly("GET /events?skip=0&limit=50", "GET /events?skip=50&limit=50",
                "GET /events?skip=100&limit=50");
    }

    @Test
    void aRefusedConfigurationKeepsThePreviousOneAndItsSignalsAndSaysWhy() {
        ven.configureWithoutThread(config);
        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT1H", 4));
        poll();
        VenSession before = ven.session();
        TestConfig bad = new TestConfig();
        bad.vtnUrl = "ftp://vtn.example.com";
        bad.pollIntervalSeconds = 5;
        bad.venName = "";
        bad.programIds = new String[] { "no spaces" };
        assertThat(ven.configureWithoutThread(bad)).isFalse();
        assertThat(ven.session()).isSameAs(before);
        assertThat(ven.signals()).hasSize(1);
        Health h = ven.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.details().get(0)).startsWith("configuration fusebox.grid.openadr refused, the previous one (")
                .contains("vtnUrl must be an http(s) URL").contains("pollIntervalSeconds must be 10..3600, got 5")
                .contains("venName must be 1 to 128 characters").contains("programIds: 'no spaces' is not an objectID");
        assertNoSecret(h);

        // accepted again: the same VEN keeps its signals until its first poll, which then replaces them
        config.pollIntervalSeconds = 30;
        assertThat(ven.configureWithoutThread(config)).isTrue();
        assertThat(ven.session()).isNotSameAs(before);
        assertThat(ven.signals()).hasSize(1);
        assertThat(ven.health().details()).isNotEmpty();
        vtn.deleteEvent("ev1");
        poll();
        assertThat(ven.signals()).isEmpty();
    }

    @Test
    void plainHttpOnlyToLoopbackAndNoSecretReferenceLeftUnresolved() {
        TestConfig c = new TestConfig();
        c.vtnUrl = "http://vtn.example.com/openadr3";
        c.clientSecret = "$[secret:openadr.secret]";
        assertThat(ven.configureWithoutThread(c)).isFalse();
        assertThat(ven.health().details().get(0)).contains("plain http to vtn.example.com").contains("unresolved secret reference");
        c.clientSecret = TestConfig.SECRET;
        c.allowPlainHttp = true;
        assertThat(ven.configureWithoutThread(c)).isTrue();
        c.vtnUrl = "https://vtn.example.com/openadr3/";
        assertThat(OpenAdrSettings.from(c).tokenUrl()).hasToString("https://vtn.example.com/openadr3/auth/token");
        c.tokenUrl = "https://idp.example.com/oauth2/token";
        assertThat(OpenAdrSettings.from(c).tokenUrl()).hasToString("https://idp.example.com/oauth2/token");
    }

    @Test
    void beforeAnyConfigurationTheSourceIsEmptyAndDegraded() {
        assertThat(ven.signals()).isEmpty();
        assertThat(ven.health()).isEqualTo(Health.degraded("not configured"));
        assertThat(ven.name()).isEqualTo("grid.openadr");
    }

    @Test
    void theSessionPollsOnItsOwnThread() throws Exception {
        config.pollIntervalSeconds = 10;
        vtn.putEvent(limitEvent("ev1", "2026-12-08T10:00:00Z", "PT1H", 4));
        ven.configure(config);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<GridSignal> s = List.of();
        while (s.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = ven.signals();
        }
        assertThat(s).hasSize(1);
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);
    }
}

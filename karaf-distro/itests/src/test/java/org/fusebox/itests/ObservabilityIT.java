package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * History, metrics and the OpenAPI document on the demo distribution as shipped, run as an operator runs it
 * ({@code bin/karaf server} in its own process, {@link KarafGateway}): the test JVM is the client, so the OpenAPI
 * validator (swagger-request-validator) checks the real answers from outside, as any client would see them.
 * The methods run in name order: the last one restarts the gateway and checks that the history survived.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ObservabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofMinutes(3);
    private static final String API = "/fusebox/api/v1";
    private static final String MAIN_SERIES = "grid.l1,grid.l2,grid.l3,grid.power,pv.power,battery.power,battery.soc,ev.power";
    private static KarafGateway gateway;
    private static int httpPort;
    private static long classStarted;

    @BeforeClass
    public static void startGateway() throws Exception {
        classStarted = System.nanoTime();
        Path dir = Path.of("target", "observability").toAbsolutePath();
        gateway = KarafGateway.unpack(dir);
        KarafGateway g = gateway;
        Runtime.getRuntime().addShutdownHook(new Thread(g::close, "it-observability-gateway"));
        int[] ports = FuseboxKarafTestSupport.freePorts(5);
        httpPort = ports[0];
        gateway.configure("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(httpPort));
        gateway.configure("fusebox.simulator.cfg", "gridMeterModbusPort", Integer.toString(ports[1]));
        gateway.configure("fusebox.simulator.cfg", "pvModbusPort", Integer.toString(ports[2]));
        gateway.configure("fusebox.simulator.cfg", "batteryModbusPort", Integer.toString(ports[3]));
        gateway.configure("fusebox.driver.modbus-grid.cfg", "port", Integer.toString(ports[1]));
        gateway.configure("fusebox.driver.modbus-pv.cfg", "port", Integer.toString(ports[2]));
        gateway.configure("fusebox.driver.modbus-battery.cfg", "port", Integer.toString(ports[3]));
        gateway.configure("fusebox.driver.ocpp.cfg", "port", Integer.toString(ports[4]));
        gateway.configure("fusebox.simulator.cfg", "ocppCentralSystemUrl", "ws://127.0.0.1:" + ports[4] + "/ocpp");
        // no loginMaxFailures here: a login before the JAAS realm is up answers 503 and is not counted, and an
        // untyped line added to the distribution's typed fusebox.web.security.cfg would turn its rules into one string
        startAndAwaitSite();
    }

    @AfterClass
    public static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
        System.out.println("ObservabilityIT: whole class took " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - classStarted) + " s");
    }

    private static void startAndAwaitSite() throws IOException {
        gateway.start();
        gateway.await("GET /fusebox/api/v1/site answering with a cycle, RUNNING, with a grid reading", START, () -> {
            Http.Response r = Http.get(httpPort, API + "/site");
            if (r.status() != 200) {
                return false;
            }
            try {
                JsonNode site = JSON.readTree(r.body());
                return site.path("state").path("mode").asText().equals("RUNNING") && site.path("grid").path("reading").isObject()
                        && site.path("chargers").size() > 0;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static JsonNode json(Http.Response r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.status() + "): " + r.body(), e);
        }
    }

    private static JsonNode history(String query) {
        Http.Response r = Http.get(httpPort, API + "/history?" + query);
        assertEquals(r.body(), 200, r.status());
        return json(r);
    }

    private static long known(JsonNode series) {
        long n = 0;
        for (JsonNode v : series.path("values")) {
            n += v.isNull() ? 0 : 1;
        }
        return n;
    }

    private static double fuseAmps() {
        return json(Http.get(httpPort, API + "/site")).path("limits").path("fuseLimit").path("amps").asDouble();
    }

    // ------------------------------------------------------------------ history

    @Test
    public void a_theDemoFillsTheHistoryAndAQueryReturnsItsPoints() {
        String range = "&from=" + Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
        // the meter (Modbus) and the chargers (OCPP, connecting on their own) start reporting at different times
        gateway.await("three known 10 s points of grid.l1 and of ev.power in the history", Duration.ofSeconds(90),
                () -> known(history("series=grid.l1&resolution=10s" + range).path("series").get(0)) >= 3
                        && known(history("series=ev.power&resolution=10s" + range).path("series").get(0)) >= 3);
        JsonNode h = history("series=" + MAIN_SERIES + "&resolution=10s" + range);
        assertEquals("10s", h.path("resolution").asText());
        assertEquals(10, h.path("step").path("seconds").asInt());
        int points = h.path("timestamps").size();
        assertTrue("about 5 minutes of 10 s points, got " + points, points >= 29 && points <= 45);
        double fuse = fuseAmps();
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        h.path("series").forEach(s -> byName.put(s.path("name").asText(), s));
        assertEquals(Arrays.asList(MAIN_SERIES.split(",")), new ArrayList<>(byName.keySet()));
        for (String phase : List.of("grid.l1", "grid.l2", "grid.l3")) {
            JsonNode s = byName.get(phase);
            assertEquals("amps", s.path("unit").asText());
            assertTrue(phase + " has known points", known(s) >= 3);
            for (JsonNode v : s.path("values")) {
                if (!v.isNull()) {
                    // 10 s averages of a site the fuse optimiser keeps under its fuse
                    assertTrue(phase + " " + v + " A within the " + fuse + " A fuse", Math.abs(v.asDouble()) <= fuse);
                }
            }
        }
        assertTrue("battery.soc has known points", known(byName.get("battery.soc")) >= 3);
        for (JsonNode v : byName.get("battery.soc").path("values")) {
            assertTrue("SoC " + v + " within 0..100", v.isNull() || (v.asDouble() >= 0 && v.asDouble() <= 100));
        }
        assertTrue("pv.power has known points", known(byName.get("pv.power")) >= 3);
        assertTrue("ev.power has known points", known(byName.get("ev.power")) >= 3);

        JsonNode catalogue = json(Http.get(httpPort, API + "/history/series"));
        boolean chargerHoldsASlot = false;
        for (JsonNode s : catalogue.path("series")) {
            chargerHoldsASlot |= s.path("name").asText().startsWith("ev.slot") && s.path("charger").isTextual();
        }
        assertTrue("a demo charger holds a slot series: " + catalogue, chargerHoldsASlot);
    }

    @Test
    public void b_badHistoryParametersAre400WithEveryProblem() {
        Http.Response r = Http.get(httpPort, API + "/history?series=grid.l1,nope&resolution=1d&from=yesterday");
        assertEquals(400, r.status());
        assertTrue(r.contentType(), r.contentType().startsWith("application/json"));
        JsonNode body = json(r);
        assertTrue(body.path("error").asText(), body.path("error").asText().startsWith("history request refused"));
        assertEquals(body.toString(), 3, body.path("problems").size());
        Http.Response tooMany = Http.get(httpPort, API + "/history?series=grid.l1&resolution=10s&from=2020-01-01T00:00:00Z");
        assertEquals(400, tooMany.status());
        assertTrue(tooMany.body(), tooMany.body().contains("at most 2000"));
        assertEquals("no credentials", 401, Http.send(httpPort, "GET", API + "/history?series=grid.l1", null, null).status());
    }

    // ------------------------------------------------------------------ metrics

    /** One sample line of the Prometheus text format: name, labels, value. */
    record MetricSample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})? (\\S+)(?: -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern COMMENT = Pattern.compile("# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* "
            + "(counter|gauge|histogram|summary|untyped|stateset|info|gaugehistogram|unknown))");

    /** Parses the whole exposition strictly: every line is a HELP, a TYPE or a sample, or the test fails naming it. */
    static List<MetricSample> parsePrometheusText(String text) {
        List<MetricSample> samples = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                assertTrue("line " + lineNo + " is no HELP or TYPE: " + line, COMMENT.matcher(line).matches());
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue("line " + lineNo + " is no sample: " + line, m.matches());
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            String v = m.group(3);
            double value = switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(v);
            };
            samples.add(new MetricSample(m.group(1), labels, value));
        }
        return samples;
    }

    private static List<MetricSample> named(List<MetricSample> all, String name) {
        return all.stream().filter(s -> s.name().equals(name)).toList();
    }

    @Test
    public void c_theScrapeParsesAsPrometheusTextWithTheNamedMetricsAndPlausibleValues() {
        assertEquals("a scrape needs the viewer role", 401, Http.send(httpPort, "GET", "/fusebox/metrics", null, null).status());
        Http.Response r = Http.get(httpPort, "/fusebox/metrics");
        assertEquals(r.body(), 200, r.status());
        assertTrue(r.contentType(), r.contentType().startsWith("text/plain"));
        List<MetricSample> all = parsePrometheusText(r.body());
        for (String name : List.of("fusebox_control_cycle_duration_seconds_count", "fusebox_control_cycle_duration_seconds_bucket",
                "fusebox_grid_current_amps", "fusebox_grid_power_watts", "fusebox_fuse_limit_amps", "fusebox_planning_limit_amps",
                "fusebox_battery_soc_percent", "fusebox_battery_power_watts", "fusebox_pv_power_watts", "fusebox_charger_current_amps",
                "fusebox_charger_current_limit_amps", "fusebox_charger_setpoint_amps", "fusebox_charger_power_watts",
                "fusebox_control_mode", "fusebox_device_up", "fusebox_chargers_online", "fusebox_health_status",
                "fusebox_control_last_cycle_timestamp_seconds")) {
            assertFalse(name + " is in the scrape:\n" + r.body(), named(all, name).isEmpty());
        }
        double fuse = named(all, "fusebox_fuse_limit_amps").get(0).value();
        assertEquals(fuseAmps(), fuse, 1e-9);
        List<MetricSample> currents = named(all, "fusebox_grid_current_amps");
        assertEquals(3, currents.size());
        for (MetricSample s : currents) {
            assertTrue(s + " within the fuse", Math.abs(s.value()) <= fuse);
        }
        for (MetricSample s : named(all, "fusebox_battery_soc_percent")) {
            assertTrue(s + " within 0..100", s.value() >= 0 && s.value() <= 100);
        }
        double cycles = named(all, "fusebox_control_cycle_duration_seconds_count").get(0).value();
        assertTrue("cycles counted: " + cycles, cycles >= 5);
        MetricSample inf = named(all, "fusebox_control_cycle_duration_seconds_bucket").stream()
                .filter(s -> "+Inf".equals(s.labels().get("le"))).findFirst().orElseThrow();
        assertEquals(cycles, inf.value(), 0);
        assertEquals(1.0, named(all, "fusebox_control_mode").stream().filter(s -> "RUNNING".equals(s.labels().get("mode")))
                .findFirst().orElseThrow().value(), 0);
        // what the drivers measure about themselves: the demo's Modbus devices answered, its four charge points are connected
        assertTrue("Modbus requests of sim-grid counted:\n" + r.body(), named(all, "fusebox_modbus_requests_total").stream()
                .anyMatch(s -> "sim-grid".equals(s.labels().get("device")) && s.value() > 0));
        assertEquals(4.0, named(all, "fusebox_ocpp_charge_points_connected").get(0).value(), 0);
        assertFalse("JVM heap exported", named(all, "fusebox_jvm_memory_used_bytes").isEmpty());
        assertTrue("the core's health is exported", named(all, "fusebox_health_status").stream()
                .anyMatch(s -> "core".equals(s.labels().get("component"))));
        for (MetricSample s : named(all, "fusebox_charger_setpoint_amps")) {
            assertTrue(s + " within the fuse", s.value() >= 0 && s.value() <= fuse);
        }

        // a harness, not an assertion: scrape time on this machine for docs/benchmarks.md
        long[] nanos = new long[200];
        for (int i = 0; i < 20; i++) {
            Http.get(httpPort, "/fusebox/metrics");
        }
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            Http.Response s = Http.get(httpPort, "/fusebox/metrics");
            nanos[i] = System.nanoTime() - t0;
            assertEquals(200, s.status());
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "ObservabilityIT: metrics scrape over loopback with a token, %d scrapes of %d bytes: p50 %.2f ms, "
                + "p95 %.2f ms, max %.2f ms%n", nanos.length, r.body().length(), nanos[nanos.length / 2] / 1e6,
                nanos[nanos.length * 95 / 100] / 1e6, nanos[nanos.length - 1] / 1e6);
    }

    // ------------------------------------------------------------------ OpenAPI

    @Test
    public void d_everyDocumentedGetAnswersAsTheServedSpecificationSays() throws Exception {
        Http.Response spec = Http.get(httpPort, API + "/openapi.yaml");
        assertEquals(spec.body(), 200, spec.status());
        assertTrue(spec.contentType(), spec.contentType().startsWith("application/yaml"));
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(spec.body()).build();
        String authorization = Http.authorization(httpPort).orElseThrow();
        JsonNode site = json(Http.get(httpPort, API + "/site"));
        String charger = site.path("chargers").get(0).path("id").asText();
        String from = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS).toString();

        List<String[]> calls = new ArrayList<>();
        // path, query (or ""), the status expected, with credentials or not
        calls.add(new String[] { API + "/health", "", "200|503", "no" });
        calls.add(new String[] { API + "/site", "", "200", "yes" });
        calls.add(new String[] { API + "/bundles", "", "200", "yes" });
        calls.add(new String[] { API + "/openapi.yaml", "", "200", "yes" });
        calls.add(new String[] { API + "/chargers/" + charger + "/1/request", "", "200|404", "yes" });
        calls.add(new String[] { API + "/chargers/no-such-charger/1/request", "", "404", "yes" });
        calls.add(new String[] { API + "/history", "series=" + MAIN_SERIES + "&from=" + from, "200", "yes" });
        calls.add(new String[] { API + "/history", "series=grid.l1&consolidation=max&resolution=15m&from=" + from, "200", "yes" });
        calls.add(new String[] { API + "/history", "series=grid.l9", "400", "yes" });
        calls.add(new String[] { API + "/history/series", "", "200", "yes" });
        calls.add(new String[] { API + "/sessions", "", "200|503", "yes" });
        calls.add(new String[] { API + "/reports/reimbursement", "from=2026-01-01&to=2026-01-31", "200|503", "yes" });
        calls.add(new String[] { API + "/reports/reimbursement", "from=nope&to=2026-01-31", "400", "yes" });
        calls.add(new String[] { "/fusebox/metrics", "", "200", "yes" });
        calls.add(new String[] { API + "/auth/me", "", "200", "yes" });
        calls.add(new String[] { API + "/auth/tokens", "", "200", "yes" });
        // the main error cases: no credentials
        calls.add(new String[] { API + "/site", "", "401", "no" });
        calls.add(new String[] { API + "/history", "series=grid.l1", "401", "no" });
        calls.add(new String[] { "/fusebox/metrics", "", "401", "no" });
        calls.add(new String[] { API + "/auth/me", "", "401", "no" });

        List<String> failures = new ArrayList<>();
        for (String[] c : calls) {
            String target = c[0] + (c[1].isEmpty() ? "" : "?" + c[1]);
            boolean withAuth = c[3].equals("yes");
            Http.Response r = withAuth ? Http.get(httpPort, target) : Http.send(httpPort, "GET", target, null, null);
            if (!Arrays.asList(c[2].split("\\|")).contains(Integer.toString(r.status()))) {
                failures.add("GET " + target + ": status " + r.status() + ", expected " + c[2] + ": " + r.body());
                continue;
            }
            SimpleRequest.Builder req = SimpleRequest.Builder.get(c[0]);
            if (withAuth) {
                req.withAuthorization(authorization);
            }
            for (String kv : c[1].isEmpty() ? new String[0] : c[1].split("&")) {
                String[] p = kv.split("=", 2);
                req.withQueryParam(p[0], p[1]);
            }
            SimpleResponse.Builder res = SimpleResponse.Builder.status(r.status()).withContentType(r.contentType()).withBody(r.body());
            ValidationReport report = withAuth ? validator.validate(req.build(), res.build())
                    : validator.validateResponse(c[0], Request.Method.GET, res.build());
            if (report.hasErrors()) {
                failures.add("GET " + target + " (" + r.status() + "): " + report.getMessages());
            }
        }
        assertTrue(failures.size() + " answers differ from the specification:\n" + String.join("\n", failures), failures.isEmpty());
    }

    @Test
    public void e_everyDocumentedPathIsServedAndAnUndocumentedOneIs404() throws Exception {
        String spec = Http.get(httpPort, API + "/openapi.yaml").body();
        Matcher m = Pattern.compile("(?m)^  (/\\S+):\\s*$").matcher(spec);
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            paths.add(m.group(1));
        }
        assertTrue(paths.toString(), paths.size() >= 16);
        for (String p : paths) {
            if (p.endsWith("/stream")) {
                continue; // an event stream does not end; WebUiIT follows it in the browser
            }
            String concrete = p.replace("{chargerId}", "cp-x").replace("{connectorId}", "1").replace("{id}", "nope")
                    .replace("{pid}", "nope").replace("{name}", "nope");
            Http.Response r = Http.get(httpPort, concrete);
            // a documented path answers from its own servlet: 404 only where the spec says so (an unknown id)
            boolean unknownId = concrete.contains("cp-x") || concrete.endsWith("/nope");
            assertTrue(p + " answered " + r.status() + ": " + r.body(), r.status() != 404 || unknownId);
            if (unknownId && r.status() == 404) {
                assertFalse(r.body(), r.body().contains("no such resource"));
            }
        }
        for (String undocumented : List.of(API + "/nope", API + "/history/nope", API + "/sites", "/fusebox/api/v2/site")) {
            Http.Response r = Http.get(httpPort, undocumented);
            assertEquals(undocumented + ": " + r.body(), 404, r.status());
            assertTrue(r.contentType(), r.contentType().startsWith("application/json"));
        }
    }

    // ------------------------------------------------------------------ restart

    @Test
    public void f_aRestartKeepsTheHistory() throws Exception {
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String range = "series=grid.l1,battery.soc&resolution=10s&from=" + to.minus(Duration.ofMinutes(3)) + "&to=" + to;
        JsonNode before = history(range);
        long knownBefore = known(before.path("series").get(0));
        assertTrue("points to keep: " + before, knownBefore >= 3);
        Path file = gateway.home.resolve("data/fusebox/history/site.rrd");
        assertTrue(file + " exists", Files.exists(file));
        long size = Files.size(file);

        gateway.stop();
        Instant restarted = Instant.now();
        startAndAwaitSite();

        JsonNode after = history(range);
        assertEquals("the same points after the restart", before.path("series"), after.path("series"));
        assertEquals("the file keeps its size", size, Files.size(file));
        try (var files = Files.list(file.getParent())) {
            assertFalse("nothing moved aside", files.anyMatch(f -> f.getFileName().toString().contains("corrupt")));
        }
        // points recorded by the new process: after the restart, and the file still takes them
        String since = "series=grid.l1&resolution=10s&from=" + restarted.plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
        gateway.await("new points after the restart", Duration.ofSeconds(90),
                () -> Instant.now().isAfter(restarted.plusSeconds(25)) && known(history(since).path("series").get(0)) >= 1);
        JsonNode health = json(Http.get(httpPort, API + "/health"));
        JsonNode historyHealth = null;
        for (JsonNode c : health.path("components")) {
            if (c.path("name").asText().equals("history")) {
                historyHealth = c;
            }
        }
        assertNotNull("history reports its health: " + health, historyHealth);
        assertEquals(historyHealth.toString(), "UP", historyHealth.path("status").asText());
    }
}

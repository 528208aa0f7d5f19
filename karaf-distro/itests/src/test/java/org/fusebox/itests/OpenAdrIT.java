package org.fusebox.itests;

import static org.fusebox.itests.SiteReadings.importWatts;
import static org.fusebox.itests.SiteReadings.uncontrolledWatts;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.SiteSnapshot;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The OpenADR VEN as a site installs it: feature {@code fusebox-grid-openadr} added to the running demo and configured
 * through Configuration Admin against a VTN served by this test over loopback HTTP (OAuth2 token, VEN registration,
 * programs, events). One event carries an import capacity limit well below what the EVs draw and a price: the core
 * applies the limit in its safety tier, the simulated grid meter comes under it and stays there, and the site pays
 * the program's price, so the planners plan on it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpenAdrIT extends FuseboxKarafTestSupport {

    private static final String PID = "fusebox.grid.openadr";
    /** Checked at the meter: the cycles the limit may take to show (applied, chargers following, next poll). */
    private static final int CYCLES_TO_TAKE_HOLD = 6;

    @Configuration
    public Option[] options() {
        // evening on the site's clock: no PV, and EVs arriving every half simulated minute draw far more than the limit
        return withOptions(demoSite(), editConfigurationFilePut("etc/fusebox.simulator.cfg", "startTime", LocalDate.now() + "T22:00"),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "evArrivalMeanMinutes", "0.5"));
    }

    /** A VTN of one program and one event, as OpenADR 3.0.1 shapes them; every request is recorded. */
    private static final class Vtn implements AutoCloseable {
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        volatile String events = "[]";
        volatile String ven = null;

        Vtn() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/openadr3/3.0.1/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/openadr3/3.0.1";
        }

        private void handle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath().substring("/openadr3/3.0.1".length());
            String method = ex.getRequestMethod();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(method + " " + path);
            if (path.equals("/auth/token") && method.equals("POST")) {
                boolean ok = body.contains("grant_type=client_credentials") && body.contains("client_id=site-7")
                        && body.contains("client_secret=s3cret");
                send(ex, ok ? 200 : 400, ok ? "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
                        : "{\"error\":\"invalid_client\"}");
                return;
            }
            if (!"Bearer tok-1".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "{\"title\":\"Unauthorized\",\"status\":401}");
                return;
            }
            String skip = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
            boolean laterPage = skip.matches(".*skip=[1-9].*");
            if (path.equals("/programs") && method.equals("GET")) {
                send(ex, 200, laterPage ? "[]" : "[{\"id\":\"p1\",\"objectType\":\"PROGRAM\",\"programName\":\"itest-program\"}]");
            } else if (path.equals("/events") && method.equals("GET")) {
                send(ex, 200, laterPage ? "[]" : events);
            } else if (path.equals("/vens") && method.equals("GET")) {
                send(ex, 200, ven == null || laterPage ? "[]" : "[" + ven + "]");
            } else if (path.equals("/vens") && method.equals("POST")) {
                ven = "{\"id\":\"ven-1\",\"objectType\":\"VEN\",\"venName\":\"itest-site\"}";
                send(ex, 201, ven);
            } else if (path.startsWith("/vens/ven-1/resources")) {
                send(ex, method.equals("GET") ? 200 : 201, method.equals("GET") ? "[]"
                        : "{\"id\":\"res-1\",\"objectType\":\"RESOURCE\",\"venID\":\"ven-1\",\"resourceName\":\"site\"}");
            } else if (path.equals("/reports") && method.equals("POST")) {
                send(ex, 201, "{\"id\":\"report-1\",\"objectType\":\"REPORT\"}");
            } else {
                send(ex, 404, "{\"title\":\"Not Found\",\"status\":404}");
            }
        }

        private static void send(HttpExchange ex, int status, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    public void anEventsImportLimitHoldsTheMeterUnderItAndItsPriceIsWhatTheSitePays() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("EVs drawing at least 12 kW more than the uncontrolled load", () -> loop.lastCycle()
                .filter(r -> r.state().mode() == ControlMode.RUNNING && uncontrolledWatts(r) >= 0
                        && importWatts(r) - uncontrolledWatts(r) > 12_000).isPresent());
        CycleReport before = loop.lastCycle().orElseThrow();
        double limitKw = Math.round(uncontrolledWatts(before) / 100 + 50) / 10.0;
        assertTrue("the limit must bind: import " + importWatts(before) + " W, limit " + limitKw + " kW",
                importWatts(before) > limitKw * 1000 + 3_000);

        try (Vtn vtn = new Vtn()) {
            // in force until further notice, from long ago: the site's clock (the simulator's) and the VTN's need not agree
            vtn.events = "[{\"id\":\"ev-1\",\"objectType\":\"EVENT\",\"programID\":\"p1\",\"eventName\":\"evening envelope\","
                    + "\"payloadDescriptors\":[{\"objectType\":\"EVENT_PAYLOAD_DESCRIPTOR\",\"payloadType\":\"IMPORT_CAPACITY_LIMIT\",\"units\":\"KW\"},"
                    + "{\"objectType\":\"EVENT_PAYLOAD_DESCRIPTOR\",\"payloadType\":\"PRICE\",\"units\":\"KWH\",\"currency\":\"EUR\"}],"
                    + "\"intervals\":[{\"id\":0,\"intervalPeriod\":{\"start\":\"2020-01-01T00:00:00Z\",\"duration\":\"P9999Y\"},"
                    + "\"payloads\":[{\"type\":\"IMPORT_CAPACITY_LIMIT\",\"values\":[" + limitKw + "]},"
                    + "{\"type\":\"PRICE\",\"values\":[0.5]}]}]}]";

            featuresService.installFeature("fusebox-grid-openadr", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            Hashtable<String, Object> config = new Hashtable<>();
            config.put("vtnUrl", vtn.url());
            config.put("tokenUrl", vtn.url() + "/auth/token");
            config.put("clientId", "site-7");
            config.put("clientSecret", "s3cret");
            config.put("venName", "itest-site");
            config.put("pollIntervalSeconds", 10);
            awaitService(ConfigurationAdmin.class).getConfiguration(PID, null).update(config);

            waitFor("the VTN's import limit in force in the core", () -> loop.lastCycle()
                    .map(r -> r.snapshot().limits().grid().importLimit())
                    .filter(l -> l != null && Math.abs(l.watts() - limitKw * 1000) < 1e-6).isPresent());
            CycleReport limited = loop.lastCycle().orElseThrow();
            String reason = limited.snapshot().limits().grid().reason();
            assertTrue(reason, reason.contains("openadr"));
            assertTrue(String.valueOf(vtn.requests), vtn.requests.contains("POST /vens") && vtn.requests.contains("GET /events"));

            // the price: what the site pays from now on, named after the VEN
            SiteSnapshot s = limited.snapshot();
            PriceSlot paid = s.prices().at(s.timestamp().plus(Duration.ofMinutes(30))).orElseThrow(
                    () -> new AssertionError("no price in 30 min: " + s.prices()));
            assertTrue(paid.source(), paid.source().contains("openadr"));
            assertEquals(500.0, paid.price().perMegawattHour().amount().doubleValue(), 1e-9);

            // at the meter: under the limit within a few cycles, then in every later cycle watched
            long first = limited.cycle();
            waitFor("the meter under " + limitKw + " kW", () -> loop.lastCycle().map(r -> importWatts(r) <= limitKw * 1000).orElse(false));
            CycleReport under = loop.lastCycle().orElseThrow();
            assertTrue("under the limit only " + (under.cycle() - first) + " cycles after it was planned",
                    under.cycle() - first <= CYCLES_TO_TAKE_HOLD);
            CycleWatcher watcher = CycleWatcher.start(loop);
            long from = under.cycle();
            waitFor("ten more cycles", () -> loop.lastCycle().map(CycleReport::cycle).orElse(0L) > from + 10);
            watcher.stop();
            for (CycleReport r : watcher.seen()) {
                assertTrue("cycle " + r.cycle() + ": " + importWatts(r) + " W over the " + limitKw + " kW limit",
                        importWatts(r) <= limitKw * 1000);
            }
            System.out.println("OpenAdrIT: limit " + limitKw + " kW against " + Math.round(importWatts(before)) + " W of import; under it "
                    + (under.cycle() - first) + " cycle(s) after it was planned; " + watcher.seen().size() + " cycles watched after");
        } finally {
            featuresService.uninstallFeature("fusebox-grid-openadr", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }
}

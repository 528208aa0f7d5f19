package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceSlot;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Tibber and Nord Pool feeds in the distribution, each installed from the system repository and
 * pointed at a loopback server in this container that answers in the source's shape for today and
 * tomorrow: the PriceFeed serves the current slot, Tibber's service says its prices are retail, and a
 * restart of the bundle with the server gone keeps the prices from the cache.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TibberNordpoolFeedsIT extends FuseboxKarafTestSupport {

    private static final ZoneId CET = ZoneId.of("Europe/Brussels");
    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    private static final DateTimeFormatter STARTS_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @Configuration
    public Option[] options() {
        // the demo site: fusebox-api is there when the probe loads this class
        return demoSite();
    }

    @Before
    public void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/DayAheadPrices", this::nordpool);
        server.createContext("/v1-beta/gql", this::tibber);
        server.start();
    }

    @After
    public void stopServing() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    public void nordpoolServesTheCurrentSlotAndKeepsItOverARestartWithoutTheServer() throws Exception {
        featuresService.installFeature("fusebox-market-nordpool", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Bundle bundle = assertBundleActive("fusebox-market-nordpool");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("deliveryArea", "SE3");
        props.put("currency", "EUR");
        props.put("baseUrl", base() + "/api/DayAheadPrices");
        awaitService(ConfigurationAdmin.class).getConfiguration("fusebox.market.nordpool", null).update(props);

        PriceSlot now = awaitCurrentSlot("nordpool");
        assertEquals(Duration.ofMinutes(15), now.length());
        assertEquals("EUR", now.price().currency().getCurrencyCode());
        assertTrue(requests.get() >= 1);
        assertTrue(String.join("\n", healthDetails("market.nordpool")), healthDetails("market.nordpool").get(0)
                .contains("prices known until"));

        server.stop(0);
        server = null;
        bundle.stop();
        bundle.start();
        PriceSlot again = awaitCurrentSlot("nordpool");
        assertEquals(now, again);
    }

    @Test
    public void tibberServesRetailPricesPerMegawattHour() throws Exception {
        featuresService.installFeature("fusebox-market-tibber", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertBundleActive("fusebox-market-tibber");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("token", "it-token-7c1");
        props.put("apiUrl", base() + "/v1-beta/gql");
        awaitService(ConfigurationAdmin.class).getConfiguration("fusebox.market.tibber", null).update(props);

        PriceSlot now = awaitCurrentSlot("tibber");
        assertEquals("NOK", now.price().currency().getCurrencyCode());
        // 0.2500 NOK/kWh in every slot of the answer
        assertEquals(0, now.price().perMegawattHour().amount().compareTo(new BigDecimal("250")));
        ServiceReference<PriceFeed> ref = feedReference("tibber").orElseThrow();
        assertEquals("retail", ref.getProperty("fusebox.price.kind"));
        for (String line : healthDetails("market.tibber")) {
            assertTrue("the token is shown in health: " + line, !line.contains("it-token-7c1"));
        }
    }

    private PriceSlot awaitCurrentSlot(String feedId) {
        PriceSlot[] found = new PriceSlot[1];
        waitFor(feedId + " serving a price for now", () -> {
            Optional<ServiceReference<PriceFeed>> ref = feedReference(feedId);
            if (ref.isEmpty()) {
                return false;
            }
            PriceFeed feed = bundleContext.getService(ref.get());
            try {
                Instant t = Instant.now();
                PriceCurve c = feed.prices(t, t.plus(Duration.ofHours(1)));
                found[0] = c.at(t).orElse(null);
                return found[0] != null;
            } finally {
                bundleContext.ungetService(ref.get());
            }
        });
        return found[0];
    }

    private Optional<ServiceReference<PriceFeed>> feedReference(String feedId) {
        try {
            for (ServiceReference<PriceFeed> ref : bundleContext.getServiceReferences(PriceFeed.class, null)) {
                PriceFeed f = bundleContext.getService(ref);
                try {
                    if (f != null && feedId.equals(f.id())) {
                        return Optional.of(ref);
                    }
                } finally {
                    bundleContext.ungetService(ref);
                }
            }
            return Optional.empty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the sources' shapes

    /** Nord Pool's day-ahead answer for the asked date (CET delivery day, UTC times, per MWh), Final. */
    private void nordpool(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String q = ex.getRequestURI().getQuery();
        LocalDate day = LocalDate.parse(q.replaceAll(".*date=([0-9-]+).*", "$1"));
        List<String> entries = new ArrayList<>();
        Instant t = day.atStartOfDay(CET).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(CET).toInstant();
        for (int i = 0; t.isBefore(end); i++, t = t.plus(Duration.ofMinutes(15))) {
            entries.add("{\"deliveryStart\":\"" + t + "\",\"deliveryEnd\":\"" + t.plus(Duration.ofMinutes(15))
                    + "\",\"entryPerArea\":{\"SE3\":" + (40 + i % 7) + ".25}}");
        }
        String body = "{\"deliveryDateCET\":\"" + day + "\",\"version\":1,\"updatedAt\":\"" + day.minusDays(1)
                + "T11:50:00Z\",\"deliveryAreas\":[\"SE3\"],\"market\":\"DayAhead\",\"multiAreaEntries\":["
                + String.join(",", entries) + "],\"currency\":\"EUR\",\"exchangeRate\":1,"
                + "\"areaStates\":[{\"state\":\"Final\",\"areas\":[\"SE3\"]}]}";
        send(ex, 200, body);
    }

    /** Tibber's GraphQL answer: one home in Oslo, today and tomorrow at 15 minutes, 0.2500 NOK/kWh. */
    private void tibber(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        if (!"Bearer it-token-7c1".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, "{\"errors\":[{\"message\":\"unauthorised\"}]}");
            return;
        }
        LocalDate today = LocalDate.now(OSLO);
        String body = "{\"data\":{\"viewer\":{\"homes\":[{\"id\":\"0b8f6a0e-3f0c-4d8e-9a51-2f1f8a6c7d10\","
                + "\"timeZone\":\"Europe/Oslo\",\"currentSubscription\":{\"priceInfo\":{\"today\":[" + tibberDay(today)
                + "],\"tomorrow\":[" + tibberDay(today.plusDays(1)) + "]}}}]}}}";
        send(ex, 200, body);
    }

    private static String tibberDay(LocalDate day) {
        List<String> points = new ArrayList<>();
        ZonedDateTime t = day.atStartOfDay(OSLO);
        ZonedDateTime end = day.plusDays(1).atStartOfDay(OSLO);
        for (; t.isBefore(end); t = t.plusMinutes(15)) {
            points.add("{\"total\":0.2500,\"energy\":0.2000,\"tax\":0.0500,\"startsAt\":\"" + STARTS_AT.format(t)
                    + "\",\"currency\":\"NOK\",\"level\":\"NORMAL\"}");
        }
        return String.join(",", points);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}

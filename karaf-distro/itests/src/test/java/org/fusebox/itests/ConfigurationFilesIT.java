package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.units.Phase;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The shipped distribution against what a newcomer or an attacker does to its files and its HTTP port:
 * broken and misspelt etc/ files reported with file and line (and what the PID keeps meanwhile), a typo'd
 * key with the core's last valid configuration, secrets referenced from owner-only files and never in
 * Karaf's files, the REST API's bounds and JSON errors, 250 slow HTTP clients that must not blind
 * /health, and the optional features saying what to set until configured. One container; the tests run
 * in name order and each puts back what it changed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConfigurationFilesIT extends FuseboxKarafTestSupport {

    private static final double FUSE_AMPS = 63;
    /** Of the 250 slow clients, how many trickle their headers; the others trickle a body. */
    private static final int HEADER_CLIENTS = 20;

    @Configuration
    public Option[] config() {
        if (Boolean.getBoolean("fusebox.itest.withoutHttpLimits")) {
            // For comparison only (docs/benchmarks.md): Pax Web's defaults, no jetty.xml, 200 threads, 30 s
            // idle. Never set in the build.
            return withOptions(demoSite(),
                    editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.config.file", ""),
                    editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.server.maxThreads", "200"),
                    editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.server.connector.idleTimeout", "30000"));
        }
        return demoSite();
    }

    private Path etc() {
        return Path.of(bundleContext.getProperty("karaf.etc"));
    }

    private ControlLoop runningSite() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("the demo site controlled", () -> loop.lastCycle().map(r -> r.snapshot().grid() != null
                && r.snapshot().grid().reading() != null && !r.snapshot().chargers().isEmpty()).orElse(false));
        return loop;
    }

    private void waitForHealth(String name, String what, java.util.function.Predicate<List<String>> condition) {
        waitFor(name + " health " + what, () -> {
            try {
                return condition.test(healthDetails(name));
            } catch (Exception | AssertionError e) {
                return false; // not registered (yet)
            }
        });
    }

    private static boolean anyStartsWith(List<String> details, String prefix) {
        return details.stream().anyMatch(d -> d.startsWith(prefix));
    }

    /** The highest phase current the simulated grid meter reported in the last cycle. */
    private static double highestPhase(CycleReport r) {
        double highest = 0;
        if (r.snapshot().grid() != null && r.snapshot().grid().reading() != null) {
            for (Phase p : Phase.values()) {
                highest = Math.max(highest, r.snapshot().grid().reading().currents().on(p).amps());
            }
        }
        return highest;
    }

    // ------------------------------------------------------------------ configuration files

    @Test
    public void a_aBrokenFileAndAMisspeltPidAreReportedWithFileAndLineUntilFixed() throws Exception {
        runningSite();
        Path fuse = etc().resolve("fusebox.optimiser.fuse.cfg");
        String shipped = Files.readString(fuse);
        Path misspelt = etc().resolve("fusebox.cor.cfg");
        try {
            // typed as config:edit writes files; "one" is no number, so file install cannot load it at all
            Files.writeString(fuse, "resumeHysteresisAmps = D\"2\"\nminIncreaseAmps = D\"one\"\n");
            Files.writeString(misspelt, "fuseLimitAmps = 25\n");

            waitForHealth("config.files", "naming both files", d ->
                    anyStartsWith(d, "fusebox.optimiser.fuse.cfg line 2: cannot be read (not a number: \"one\"): minIncreaseAmps = D\"one\"")
                    && anyStartsWith(d, "fusebox.cor.cfg: no installed bundle defines PID fusebox.cor, so nothing reads this file (did you mean fusebox.core?)"));
            List<String> details = healthDetails("config.files");
            assertTrue(details.toString(), details.stream().anyMatch(d -> d.contains("fusebox.optimiser.fuse keeps the configuration it had: ")
                    && d.contains("minIncreaseAmps=1")));
            Http.Response health = Http.get(httpPort(), "/fusebox/api/v1/health");
            assertTrue(health.body(), health.body().contains("fusebox.cor.cfg: no installed bundle defines PID fusebox.cor"));
            assertTrue(health.body(), health.body().contains("\"status\" : \"DEGRADED\""));
            // file install refused it: Config Admin still holds what the shipped file said
            Object kept = awaitService(ConfigurationAdmin.class).getConfiguration("fusebox.optimiser.fuse", null).getProperties().get("minIncreaseAmps");
            assertEquals("1", String.valueOf(kept));
        } finally {
            Files.writeString(fuse, shipped);
            Files.deleteIfExists(misspelt);
        }
        waitForHealth("config.files", "clean again", d -> d.stream().noneMatch(x -> x.contains("fusebox.cor") || x.contains("fusebox.optimiser.fuse")));
    }

    @Test
    public void b_aTypoIsReportedWithItsFileAndWhatTheCoreLastRanOnWhileTheFuseHolds() throws Exception {
        ControlLoop loop = runningSite();
        Path core = etc().resolve("fusebox.core.cfg");
        String shipped = Files.readString(core);
        assertTrue("the last valid core configuration is kept on disk",
                Files.isRegularFile(Path.of(bundleContext.getProperty("karaf.data"), "fusebox", "config-last-valid", "fusebox.core.json")));
        double highest = 0;
        try {
            Files.writeString(core, shipped + "\nfuseLimitAmp = 25\n");
            waitForHealth("config", "naming the typo", d -> anyStartsWith(d, "fusebox.core.cfg: fusebox.core: unknown key 'fuseLimitAmp'"));
            List<String> details = healthDetails("config");
            assertTrue(details.toString(), details.stream().anyMatch(d -> d.startsWith("fusebox.core: last valid configuration (valid at ")
                    && d.contains("fuseLimitAmps=63")));
            highest = Math.max(highest, highestFor(loop, 5_000));
            // and the file deleted: said with what the core last ran on, never a silent default
            Files.delete(core);
            waitForHealth("config", "naming the deleted core configuration", d ->
                    anyStartsWith(d, "fusebox.core: there is no configuration (was etc/fusebox.core.cfg deleted?)"));
            assertTrue(healthDetails("config").toString(), healthDetails("config").stream().anyMatch(d -> d.contains("fuseLimitAmps=63")));
            highest = Math.max(highest, highestFor(loop, 5_000));
        } finally {
            Files.writeString(core, shipped);
        }
        assertTrue("highest phase " + highest + " A over the " + FUSE_AMPS + " A fuse", highest <= FUSE_AMPS);
        waitForHealth("config", "clean again", d -> d.stream().noneMatch(x -> x.startsWith("fusebox.core")));
    }

    /** The highest phase current the grid meter reports over the next {@code millis}. */
    private static double highestFor(ControlLoop loop, long millis) throws InterruptedException {
        double highest = 0;
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            highest = Math.max(highest, loop.lastCycle().map(ConfigurationFilesIT::highestPhase).orElse(0.0));
            Thread.sleep(100);
        }
        return highest;
    }

    // ------------------------------------------------------------------ secrets

    @Test
    public void c_passwordsComeFromOwnerOnlyFilesAndNeverSitInKarafsFiles() throws Exception {
        ControlLoop loop = runningSite();
        ConfigurationAdmin ca = awaitService(ConfigurationAdmin.class);
        Path secrets = etc().resolve("secrets");
        assertEquals("the interpolation plugin reads etc/secrets", secrets.toString(),
                Path.of(bundleContext.getProperty("org.apache.felix.configadmin.plugin.interpolation.secretsdir")).normalize().toString());
        String password = "pw-" + Long.toHexString(System.nanoTime());
        Files.createDirectories(secrets);
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
        // the simulated charge points and one of the test's own, all with the same password
        writeOwnerOnly(secrets.resolve("ocpp.passwords"), IntStreamIds.passwords(password) + ",test-cp=" + password + "\n");
        writeOwnerOnly(secrets.resolve("sim.ocpp.password"), password + "\n");
        writeOwnerOnly(secrets.resolve("spare.password"), "unused\n");

        org.osgi.service.cm.Configuration ocpp = ca.getConfiguration("fusebox.driver.ocpp", null);
        org.osgi.service.cm.Configuration sim = ca.getConfiguration("fusebox.simulator", null);
        Dictionary<String, Object> ocppBefore = ocpp.getProperties();
        Dictionary<String, Object> simBefore = sim.getProperties();
        int ocppPort = Integer.parseInt(String.valueOf(ocppBefore.get("port")));
        try {
            // the simulated charge points present the password first (profile 0 ignores it), then the
            // central system demands it
            update(sim, "ocppPassword", "$[secret:sim.ocpp.password]");
            Dictionary<String, Object> p = copy(ocpp.getProperties());
            p.put("securityProfile", "1");
            p.put("chargePoints", String.valueOf(ocppBefore.get("chargePoints")) + ",test-cp");
            p.put("passwords", "$[secret:ocpp.passwords]");
            ocpp.update(p);

            // A new connection is let in with the password from the file and refused with any other: the
            // driver got the file's content, not the reference
            waitFor("test-cp accepted with the password from etc/secrets", () -> handshake(ocppPort, "test-cp", password).startsWith("HTTP/1.1 101"));
            String wrong = handshake(ocppPort, "test-cp", "not-" + password);
            assertTrue(wrong, wrong.startsWith("HTTP/1.1 401"));
            String literal = handshake(ocppPort, "test-cp", "$[secret:ocpp.passwords]");
            assertTrue(literal, literal.startsWith("HTTP/1.1 401"));
            waitFor("the four simulated chargers online on profile 1", () -> onlineChargers(loop) == 4);

            // Config Admin (so config:list), the .cfg files and Karaf's cache hold only the reference
            assertEquals("$[secret:ocpp.passwords]", String.valueOf(ca.getConfiguration("fusebox.driver.ocpp", null).getProperties().get("passwords")));
            assertEquals("$[secret:sim.ocpp.password]", String.valueOf(ca.getConfiguration("fusebox.simulator", null).getProperties().get("ocppPassword")));
            waitFor("file install wrote the reference back to etc/", () -> {
                try {
                    return Files.readString(etc().resolve("fusebox.driver.ocpp.cfg")).contains("$[secret:ocpp.passwords]");
                } catch (IOException e) {
                    return false;
                }
            });
            List<Path> holding = filesHolding(password, etc(), Path.of(bundleContext.getProperty("karaf.data")));
            assertEquals("files holding the password: " + holding,
                    List.of(secrets.resolve("ocpp.passwords"), secrets.resolve("sim.ocpp.password")).stream().sorted().collect(Collectors.toList()),
                    holding.stream().sorted().collect(Collectors.toList()));
            List<String> files = healthDetails("config.files");
            assertTrue(files.toString(), files.stream().noneMatch(d -> d.contains("ocpp") || d.contains("secrets")));

            // and a secret file others can read is reported
            Files.setPosixFilePermissions(secrets.resolve("spare.password"), PosixFilePermissions.fromString("rw-r--r--"));
            waitForHealth("config.files", "naming the readable secret", d -> d.contains(secrets.resolve("spare.password")
                    + " is readable by others than its owner: chmod 600 " + secrets.resolve("spare.password")));
        } finally {
            ocpp.update(ocppBefore);
            sim.update(simBefore);
            try (Stream<Path> all = Files.list(secrets)) {
                for (Path f : all.collect(Collectors.toList())) {
                    Files.delete(f);
                }
            }
        }
        waitFor("the chargers back on the demo's profile 0", () -> onlineChargers(loop) == 4);
    }

    /** The status line of an OCPP WebSocket handshake as charge point {@code id} with this Basic password. */
    private static String handshake(int port, String id, String password) {
        String auth = java.util.Base64.getEncoder().encodeToString((id + ":" + password).getBytes(StandardCharsets.UTF_8));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            String request = "GET /ocpp/" + id + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n"
                    + "Authorization: Basic " + auth + "\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            InputStream in = s.getInputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString().trim();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The four simulated charge points' passwords, all the same, in the driver's ID=password form. */
    private static final class IntStreamIds {
        static String passwords(String password) {
            return java.util.stream.IntStream.rangeClosed(1, 4).mapToObj(i -> "sim-charger-" + i + "=" + password)
                    .collect(Collectors.joining(","));
        }
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static void update(org.osgi.service.cm.Configuration c, String key, String value) throws IOException {
        Dictionary<String, Object> p = copy(c.getProperties());
        p.put(key, value);
        c.update(p);
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (java.util.Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            out.put(k, d.get(k));
        }
        return out;
    }

    /** The simulated chargers online (the test's own charge point left out). */
    private static int onlineChargers(ControlLoop loop) {
        return loop.lastCycle().map(r -> (int) r.snapshot().chargers().stream().filter(c -> c.id().startsWith("sim-charger-"))
                .map(ChargerState::status).filter(s -> s != null && s.isOnline()).count()).orElse(0);
    }

    /** Every regular file under these directories whose bytes contain the text. */
    private static List<Path> filesHolding(String text, Path... roots) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path f : all.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    try {
                        if (Files.size(f) < 50_000_000 && indexOf(Files.readAllBytes(f), needle) >= 0) {
                            out.add(f);
                        }
                    } catch (IOException e) {
                        // a file being rotated or removed meanwhile
                    }
                }
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ------------------------------------------------------------------ REST

    @Test
    public void d_theApiRefusesAbsurdRequestsInJsonAndAnswersHead() throws Exception {
        runningSite();
        waitFor("the API up", () -> Http.get(httpPort(), "/fusebox/api/v1/health").status() == 200);
        String path = "/fusebox/api/v1/chargers/sim-charger-1/1/request";
        for (String energy : new String[] { "1e308", "1e-300", "1e400" }) {
            Http.Response r = Http.postJson(httpPort(), path, "{\"energyKwh\": " + energy + ", \"departure\": \"2099-01-01T00:00:00Z\"}");
            assertEquals(r.body(), 400, r.status());
            assertTrue(r.body(), r.body().contains("energyKwh must be"));
            assertTrue(r.body(), r.body().contains("departure") && r.body().contains("h ahead"));
            assertFalse(r.body(), r.body().contains("java.") || r.body().contains("Exception"));
        }
        for (String p : new String[] { "/fusebox/api/v2/site", "/fusebox/api", "/nothing/here" }) {
            Http.Response r = Http.get(httpPort(), p);
            assertEquals(p + ": " + r.body(), 404, r.status());
            assertTrue(p + ": " + r.contentType(), r.contentType().startsWith("application/json"));
            assertTrue(p + ": " + r.body(), r.body().contains("\"error\"") && r.body().contains("/fusebox/api/v1"));
        }
        String head = raw("HEAD /fusebox/api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(head, head.startsWith("HTTP/1.1 200"));
        assertTrue(head, head.toLowerCase().contains("content-type: application/json"));
        assertTrue("HEAD has no body: " + head, head.endsWith("\r\n\r\n"));
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", httpPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    public void e_twoHundredFiftySlowClientsDoNotBlindHealth() throws Exception {
        runningSite();
        waitFor("the API up", () -> Http.get(httpPort(), "/fusebox/api/v1/health").status() == 200);
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean holding = new AtomicBoolean(true);
        Thread trickle = null;
        int answered = 0;
        int asked = 0;
        long slowest = 0;
        try {
            // 20 clients that never finish their request headers, 230 that never finish their body (each of
            // those holds a server thread while the API reads it)
            // the slow bodies come with valid credentials, so that the guard lets them through to the API's body reader
            String authorization = Http.authorization(httpPort()).orElseThrow(() -> new AssertionError("no API token for the test account"));
            for (int i = 0; i < 250; i++) {
                Socket s = new Socket("127.0.0.1", httpPort());
                String start = i < HEADER_CLIENTS
                        ? "GET /fusebox/api/v1/health HTTP/1.1\r\nHost: localhost\r\n"
                        : "POST /fusebox/api/v1/chargers/sim-charger-1/1/request HTTP/1.1\r\nHost: localhost\r\n"
                                + "Authorization: " + authorization + "\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{";
                s.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            // each sends one more byte every 2 s, under the 15 s idle timeout: a classic slow client
            trickle = new Thread(() -> {
                while (holding.get()) {
                    for (int i = 0; i < slow.size(); i++) {
                        try {
                            slow.get(i).getOutputStream().write(i < HEADER_CLIENTS ? "X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[] { ' ' });
                        } catch (IOException e) {
                            // closed by the server: what the limits are for
                        }
                    }
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "slow-clients");
            trickle.start();
            long until = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < until) {
                asked++;
                long t0 = System.nanoTime();
                Http.Response r = Http.get(httpPort(), "/fusebox/api/v1/health");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                slowest = Math.max(slowest, ms);
                if (r.status() == 200 || r.status() == 503) {
                    answered++;
                }
                Thread.sleep(500);
            }
        } finally {
            holding.set(false);
            if (trickle != null) {
                trickle.join(5_000);
            }
            int closedByServer = 0;
            for (Socket s : slow) {
                if (closedBy(s)) {
                    closedByServer++;
                }
                s.close();
            }
            System.out.printf("ConfigurationFilesIT slow clients: 250 held; /health answered %d of %d (slowest %d ms);"
                    + " %d slow connections closed by the server%n", answered, asked, slowest, closedByServer);
        }
        assertEquals("/health answers while 250 slow clients hold connections", asked, answered);
    }

    /** Whether the server has closed this connection (a read then ends at once). */
    private static boolean closedBy(Socket s) {
        try {
            s.setSoTimeout(200);
            InputStream in = s.getInputStream();
            while (in.read() != -1) {
                // drain any error answer the server sent before closing
            }
            return true;
        } catch (IOException e) {
            return e instanceof java.net.SocketException;
        }
    }

    // ------------------------------------------------------------------ optional features

    @Test
    public void f_peakShavingAndTheCloudLinkSayWhatToSetUntilConfigured() throws Exception {
        runningSite();
        EnumSet<FeaturesService.Option> noRefresh = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        featuresService.installFeature("fusebox-optimiser-peak-shaving", noRefresh);
        featuresService.installFeature("fusebox-cloud-mqtt", noRefresh);
        try {
            waitForHealth("peak-shaving", "not configured", d -> anyStartsWith(d, "not configured: set peakKw"));
            waitForHealth("cloud.mqtt", "not configured", d -> anyStartsWith(d, "not configured: set brokerUrl"));
            Http.Response health = Http.get(httpPort(), "/fusebox/api/v1/health");
            assertTrue(health.body(), health.body().contains("not configured: set peakKw"));
            assertTrue(health.body(), health.body().contains("not configured: set brokerUrl"));
        } finally {
            featuresService.uninstallFeature("fusebox-cloud-mqtt", noRefresh);
            featuresService.uninstallFeature("fusebox-optimiser-peak-shaving", noRefresh);
        }
    }
}

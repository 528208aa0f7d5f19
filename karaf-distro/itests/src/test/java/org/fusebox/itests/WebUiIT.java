package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.rules.ExternalResource;
import org.junit.rules.RuleChain;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExamServer;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by Selenium)
 * against the demo distribution. Pax Exam runs the distribution in server mode, so the test code (and the browser)
 * live in the test JVM and reach the gateway over HTTP only, as a user does. One browser and one gateway for the
 * whole class; the methods run in name order and build on each other (logged in once).
 *
 * <p>The simulated site is changed through its external load ({@code etc/fusebox.simulator.externalload.cfg},
 * which file install polls every 50 ms here), so a change reaches the page by the same path as a real one: the
 * simulator's grid meter, the Modbus driver, the control cycle, the site stream.
 *
 * <p>Without chromium and chromedriver the class is skipped with a message saying so, and fails under
 * {@code CI=true}. Screenshots go to {@code target/webui-screenshots/}; the latency samples and the page weight
 * to {@code target/webui-benchmark.txt} (docs/benchmarks.md).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class WebUiIT {

    private static final Path SHOTS = Path.of("target", "webui-screenshots");
    private static final Path BENCHMARK = Path.of("target", "webui-benchmark.txt");
    private static final Duration START = Duration.ofSeconds(240);
    private static final int LATENCY_SAMPLES = Integer.getInteger("fusebox.itest.webui.samples", 40);
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static final String DRIVER = "dora";
    private static final String DRIVER_PASSWORD = "driver-password-1";

    private static int httpPort;
    private static WebDriver browser;
    private static final List<String> benchmark = new ArrayList<>();

    /** The browser, started before the gateway so that a machine without one skips at once. */
    private static final ExternalResource BROWSER = new ExternalResource() {
        @Override
        protected void before() {
            String missing = !new File(CHROMIUM).canExecute() ? CHROMIUM + " is missing (apt-get install chromium)"
                    : !new File(CHROMEDRIVER).canExecute() ? CHROMEDRIVER + " is missing (apt-get install chromium-driver)" : null;
            if (missing != null) {
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError("the web UI test cannot run under CI=true: " + missing);
                }
                System.err.println("SKIPPED: WebUiIT cannot run: " + missing);
                Assume.assumeTrue(missing, false);
            }
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1280,1000", "--lang=en-GB");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort().build();
            browser = new ChromeDriver(service, options);
            browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        }

        @Override
        protected void after() {
            if (browser != null) {
                browser.quit();
            }
        }
    };

    @ClassRule
    public static final RuleChain CHAIN = RuleChain.outerRule(BROWSER).around(new PaxExamServer());

    @Configuration
    public Option[] config() {
        httpPort = FuseboxKarafTestSupport.freePort();
        return FuseboxKarafTestSupport.withOptions(FuseboxKarafTestSupport.demoSite(),
                // after the base options, so these values win
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(httpPort)),
                editConfigurationFilePut("etc/system.properties", "fusebox.itest.http.port", Integer.toString(httpPort)),
                // EVs come every half minute or so, so that a charging request has an EV to go to
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "evArrivalMeanMinutes", "3"),
                // file install looks at etc/ every 50 ms, so a changed external load is seen at once
                editConfigurationFilePut("etc/config.properties", "felix.fileinstall.poll", "50"),
                // a driver, to see the menu and the server follow the role
                editConfigurationFilePut(FuseboxKarafTestSupport.USERS_PROPERTIES, DRIVER, DRIVER_PASSWORD + ",fusebox-driver"),
                editConfigurationFilePut("etc/fusebox.simulator.externalload.cfg", "l1Amps", "0"),
                editConfigurationFilePut("etc/fusebox.simulator.externalload.cfg", "l2Amps", "0"),
                editConfigurationFilePut("etc/fusebox.simulator.externalload.cfg", "l3Amps", "0"));
    }

    @AfterClass
    public static void writeBenchmark() throws IOException {
        if (!benchmark.isEmpty()) {
            Files.createDirectories(BENCHMARK.toAbsolutePath().getParent());
            Files.write(BENCHMARK, benchmark, StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    public void a_theRootOpensTheLoginPageAndALoginShowsTheRole() throws Exception {
        awaitGateway();
        browser.get(base() + "/");
        WebElement user = await("the login form", () -> visible(By.id("login-user")));
        assertTrue("redirected to the UI: " + browser.getCurrentUrl(), browser.getCurrentUrl().endsWith("/fusebox/ui/"));
        screenshot("01-login");
        assertTrue("no menu before a login", visible(By.id("nav")) == null);

        // a wrong password first: the page says so and stays on the form
        user.sendKeys(Http.ITEST_USER);
        browser.findElement(By.id("login-password")).sendKeys("not the password");
        browser.findElement(By.id("login-submit")).click();
        await("the refusal", () -> text(By.id("login-error")).filter(t -> !t.isBlank()).orElse(null));

        browser.findElement(By.id("login-password")).clear();
        browser.findElement(By.id("login-password")).sendKeys(Http.ITEST_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        String who = await("the user and role in the header", () -> text(By.id("who")).filter(t -> t.contains("·")).orElse(null));
        assertEquals(Http.ITEST_USER + " · admin", who);
        String mode = await("the control mode", () -> text(By.id("mode")).filter(t -> !t.equals("…")).orElse(null));
        assertTrue("control mode shown: " + mode, mode.equals("RUNNING") || mode.equals("FAILSAFE"));
        // every page of an admin is in the menu
        for (String page : List.of("flow", "charts", "devices", "driver", "config", "system")) {
            assertTrue(page + " in the menu", browser.findElement(By.cssSelector("#nav a[data-page='" + page + "']")).isDisplayed());
        }
    }

    @Test
    public void b_thePowerFlowFollowsTheSiteWithinASecond() throws Exception {
        await("a cycle on the page", () -> visible(By.id("grid-l1")));
        await("the grid currents", () -> l1OnPage());
        screenshot("02-power-flow");
        Path externalLoad = etc().resolve("fusebox.simulator.externalload.cfg");

        // the same external load on every phase, alternating, and the first page update that shows the step. Large
        // (beyond the fuse): the fuse optimiser moves the EVs against any change, by at most what they draw (4 x 32 A),
        // so a smaller step can be hidden by EVs ramping up as it goes
        double step = 150;
        List<Long> latencies = new ArrayList<>();
        List<Double> renderMillis = new ArrayList<>();
        for (int i = 0; i < LATENCY_SAMPLES + 1; i++) {
            boolean on = i % 2 == 0;
            Double before = l1OnPage();
            long renderedBefore = ((Number) js("return window.fusebox.count;")).longValue();
            long changedAt = System.currentTimeMillis();
            writeExternalLoad(externalLoad, on ? step : 0);
            // the first render after the change whose L1 moved by more than half the step the right way
            Map<?, ?> seen = await("the external load of " + (on ? step : 0) + " A on the page", () -> {
                List<?> list = (List<?>) js("return window.fusebox.renders.filter(r => r.n > arguments[0]);", renderedBefore);
                for (Object o : list) {
                    Map<?, ?> r = (Map<?, ?>) o;
                    Number l1 = (Number) r.get("l1");
                    if (l1 != null && before != null && (on ? l1.doubleValue() - before > step / 2 : before - l1.doubleValue() > step / 2)) {
                        return r;
                    }
                }
                return null;
            });
            if (i > 0) {
                // the first change also waits for file install to know the file: not counted
                latencies.add(((Number) seen.get("at")).longValue() - changedAt);
                renderMillis.add(((Number) seen.get("renderMillis")).doubleValue());
            }
            Thread.sleep(1500);
        }
        writeExternalLoad(externalLoad, 0);
        Collections.sort(latencies);
        Collections.sort(renderMillis);
        String line = String.format(Locale.ROOT, "site change to page: n=%d p50=%d ms p95=%d ms max=%d ms; stream event to DOM: p50=%.1f ms p95=%.1f ms",
                latencies.size(), pct(latencies, 50), pct(latencies, 95), latencies.get(latencies.size() - 1),
                pctD(renderMillis, 50), pctD(renderMillis, 95));
        System.out.println("WebUiIT " + line);
        benchmark.add(line);
        benchmark.add("samples ms: " + latencies);
        // the page showed every change: the goal (1 s) is a benchmark number, not an assertion on a shared CI box
        assertEquals(LATENCY_SAMPLES, latencies.size());
    }

    @Test
    public void c_aDriverPostsAChargingRequest() throws Exception {
        browser.get(base() + "/fusebox/ui/#driver");
        await("the driver's form", () -> visible(By.id("driver-form")));
        // an EV plugged in somewhere: the simulator brings them every minute or so
        String connector = await("a connector with an EV", () -> (String) js("const s = window.fusebox.site; if (!s) return null;"
                + "for (const c of s.chargers) for (const k of c.connectors) if (k.reading && k.reading.session) return c.id + '/' + k.connectorId;"
                + "return null;"), Duration.ofSeconds(240));
        // the form lists the connectors as they were when it opened
        browser.get(base() + "/fusebox/ui/#driver");
        await("the connector in the form", () -> visible(By.cssSelector("#driver-connector option[value='" + connector + "']")) != null
                || !browser.findElements(By.cssSelector("#driver-connector option[value='" + connector + "']")).isEmpty() ? true : null);
        new Select(browser.findElement(By.id("driver-connector"))).selectByValue(connector);
        WebElement energy = browser.findElement(By.id("driver-energy"));
        energy.clear();
        energy.sendKeys("12.5");
        browser.findElement(By.id("driver-submit")).click();
        String outcome = await("the answer to the request", () -> text(By.cssSelector("#driver-result p")).orElse(null));
        screenshot("03-driver");
        assertTrue("accepted: " + outcome + " " + text(By.id("driver-result")).orElse(""),
                outcome.startsWith("Accepted: 12.50 kWh"));
        // the core holds it: the API shows the request for that connector
        Http.Response held = Http.get(httpPort, "/fusebox/api/v1/chargers/" + connector + "/request");
        assertEquals(held.body(), 200, held.status());
        assertTrue(held.body(), held.body().contains("\"wattHours\" : 12500"));
    }

    @Test
    public void d_anInvalidConfigurationIsRefusedInline() throws Exception {
        browser.get(base() + "/fusebox/ui/#config");
        WebElement core = await("the core in the list", () -> visible(By.cssSelector("#config-list a[data-pid='fusebox.core']")));
        core.click();
        WebElement fuse = await("the fuse limit field", () -> visible(By.id("cfg-fuseLimitAmps")));
        String before = fuse.getAttribute("value");
        fuse.clear();
        fuse.sendKeys("5000");
        browser.findElement(By.id("config-save")).click();
        String inline = await("the reason next to the field", () -> text(By.id("err-fuseLimitAmps")).filter(t -> !t.isBlank()).orElse(null));
        assertTrue(inline, inline.contains("fuseLimitAmps"));
        assertTrue("the field is marked", fuse.getAttribute("class").contains("invalid"));
        assertTrue(text(By.id("config-refused")).orElse(""), text(By.id("config-refused")).isPresent());
        js("arguments[0].scrollIntoView({block: 'center'});", fuse);
        screenshot("04-config-refused");
        // nothing was applied: the core keeps its fuse limit
        Http.Response cfg = Http.get(httpPort, "/fusebox/api/v1/configurations");
        assertEquals(200, cfg.status());
        assertTrue("still " + before + " A", cfg.body().contains("\"fuseLimitAmps\" : " + before)
                || cfg.body().contains("\"fuseLimitAmps\" : \"" + before + "\""));

        // a value that is not a number at all is named by the form's own check
        fuse.clear();
        fuse.sendKeys("sixty");
        browser.findElement(By.id("config-save")).click();
        await("the type refusal", () -> text(By.id("err-fuseLimitAmps")).filter(t -> t.contains("not a number")).orElse(null));
    }

    @Test
    public void e_anAdminInstallsAFeature() throws Exception {
        String feature = "fusebox-market-csv";
        browser.get(base() + "/fusebox/ui/#system");
        WebElement button = await(feature + " in the features", () ->
                visible(By.cssSelector("#features-table tr[data-feature='" + feature + "'] button")));
        assertEquals("Install", button.getText());
        button.click();
        browser.switchTo().alert().accept();
        String outcome = await("the install's outcome", () -> text(By.id("feature-outcome")).orElse(null), Duration.ofSeconds(120));
        assertEquals(feature + " installed", outcome);
        await("the row says installed", () -> visible(By.cssSelector("#features-table tr[data-feature='" + feature + "'] button"))
                .getText().equals("Uninstall") ? true : null);
        screenshot("05-features");
        Http.Response bundles = Http.get(httpPort, "/fusebox/api/v1/bundles");
        assertTrue(bundles.body(), bundles.body().contains("\"symbolicName\" : \"fusebox-market-csv\""));
    }

    @Test
    public void f_chartsDevicesAndAPhoneScreen() throws Exception {
        browser.get(base() + "/fusebox/ui/#charts");
        await("the prices chart or its empty state", () -> Optional.ofNullable(visible(By.cssSelector("#chart-prices .uplot, #chart-prices .empty"))).orElse(null));
        // the demo boots fusebox-history, and by now its 10 s archive holds the last minutes
        await("the history chart", () -> visible(By.cssSelector("#chart-history .uplot")));
        screenshot("06-charts");
        browser.get(base() + "/fusebox/ui/#devices");
        await("the devices", () -> browser.findElements(By.cssSelector("#devices-table tbody tr")).size() >= 4 ? true : null);
        String grid = browser.findElement(By.cssSelector("#devices-table tbody tr[data-device='sim-grid']")).getText();
        assertTrue(grid, grid.contains("ONLINE"));
        screenshot("07-devices");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(base() + "/fusebox/ui/#flow");
        await("the power flow on a phone", () -> visible(By.id("grid-l1")));
        Number overflow = (Number) js("return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue("no sideways scrolling on a phone: " + overflow + " px", overflow.intValue() <= 0);
        screenshot("08-phone");
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    public void g_pageWeight() throws Exception {
        // what the login page and the UI load, as the browser got it (gzip), and the same files again by HTTP
        browser.get(base() + "/fusebox/ui/#flow");
        await("loaded", () -> visible(By.id("grid-l1")));
        Number transferred = (Number) js("return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                + ".filter(e => e.name.includes('/fusebox/ui/')).reduce((a, e) => a + (e.encodedBodySize || 0), 0);");
        long gzip = 0;
        long plain = 0;
        HttpClient client = HttpClient.newHttpClient();
        for (String file : List.of("", "app.js", "app.css", "favicon.svg", "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css")) {
            HttpResponse<byte[]> z = client.send(HttpRequest.newBuilder(URI.create(base() + "/fusebox/ui/" + file))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(file, 200, z.statusCode());
            assertEquals(file, Optional.of("gzip"), z.headers().firstValue("Content-Encoding"));
            HttpResponse<byte[]> p = client.send(HttpRequest.newBuilder(URI.create(base() + "/fusebox/ui/" + file)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            gzip += z.body().length;
            plain += p.body().length;
        }
        String line = String.format(Locale.ROOT, "page weight: %d bytes gzipped (%d plain); the browser's encoded bodies: %d bytes",
                gzip, plain, transferred.longValue());
        System.out.println("WebUiIT " + line);
        benchmark.add(line);
        assertTrue(line, gzip < 200 * 1024);
    }

    @Test
    public void h_logoutEndsTheSession() throws Exception {
        browser.get(base() + "/fusebox/ui/#flow");
        await("the logout button", () -> visible(By.id("logout"))).click();
        await("the login form again", () -> visible(By.id("login-user")));
        browser.navigate().refresh();
        await("still the login form after a reload", () -> visible(By.id("login-user")));
    }

    @Test
    public void i_aDriverSeesOnlyWhatTheRoleAllows() throws Exception {
        browser.get(base() + "/fusebox/ui/");
        await("the login form", () -> visible(By.id("login-user"))).sendKeys(DRIVER);
        browser.findElement(By.id("login-password")).sendKeys(DRIVER_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        assertEquals(DRIVER + " · driver", await("the driver's role", () -> text(By.id("who")).filter(t -> t.contains("·")).orElse(null)));
        for (String page : List.of("flow", "charts", "devices", "driver")) {
            assertTrue(page + " in the menu", browser.findElement(By.cssSelector("#nav a[data-page='" + page + "']")).isDisplayed());
        }
        for (String page : List.of("config", "system")) {
            assertTrue(page + " not in the menu", !browser.findElement(By.cssSelector("#nav a[data-page='" + page + "']")).isDisplayed());
        }
        // the server refuses what the menu hides, whatever the page asks
        Number status = (Number) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/fusebox/api/v1/configurations', {credentials: 'same-origin'}).then(r => done(r.status), () => done(-1));");
        assertEquals(403, status.intValue());
        // the live view works for a driver too
        browser.get(base() + "/fusebox/ui/#flow");
        await("the power flow", () -> visible(By.id("grid-l1")));
        browser.findElement(By.id("logout")).click();
        await("logged out", () -> visible(By.id("login-user")));
    }

    // ------------------------------------------------------------------ helpers

    private static String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    private static void awaitGateway() {
        KarafGateway.awaitCondition("the demo site's API and UI", START, () ->
                Http.get(httpPort, "/fusebox/api/v1/site").status() == 200
                        && Http.send(httpPort, "GET", "/fusebox/ui/", null, null).status() == 200);
    }

    /** The installation Pax Exam unpacked for this class: the one whose Pax Web listens on our port. */
    private static Path etc() throws IOException {
        Path exam = Path.of(System.getProperty("fusebox.exam.dir", "target/exam"));
        try (Stream<Path> dirs = Files.list(exam)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Path web = d.resolve("etc/org.ops4j.pax.web.cfg");
                if (Files.exists(web) && Files.readString(web).contains("org.osgi.service.http.port = " + httpPort)
                        || Files.exists(web) && Files.readString(web).contains("org.osgi.service.http.port=" + httpPort)) {
                    return d.resolve("etc");
                }
            }
        }
        throw new AssertionError("no installation under " + exam.toAbsolutePath() + " listens on " + httpPort);
    }

    private static void writeExternalLoad(Path file, double amps) throws IOException {
        String a = String.format(Locale.ROOT, "%.1f", amps);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, "l1Amps = " + a + "\nl2Amps = " + a + "\nl3Amps = " + a + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Double l1OnPage() {
        Object v = js("return window.fusebox.lastRender ? window.fusebox.lastRender.l1 : null;");
        return v == null ? null : ((Number) v).doubleValue();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static WebElement visible(By by) {
        List<WebElement> found = browser.findElements(by);
        return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
    }

    private static Optional<String> text(By by) {
        WebElement e = visible(by);
        return e == null ? Optional.empty() : Optional.of(e.getText());
    }

    private static <T> T await(String what, Supplier<T> probe) {
        return await(what, probe, Duration.ofSeconds(30));
    }

    private static <T> T await(String what, Supplier<T> probe, Duration timeout) {
        try {
            // the page re-renders its live parts every second: an element found a moment ago may have been replaced
            T found = new WebDriverWait(browser, timeout, Duration.ofMillis(20)).withMessage("waiting for " + what)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> probe.get());
            assertNotNull(what, found);
            return found;
        } catch (RuntimeException e) {
            screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw e;
        }
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(SHOTS);
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(SHOTS.resolve(name + ".png"), png);
        } catch (IOException | RuntimeException e) {
            System.err.println("screenshot " + name + " not written: " + e);
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static double pctD(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}

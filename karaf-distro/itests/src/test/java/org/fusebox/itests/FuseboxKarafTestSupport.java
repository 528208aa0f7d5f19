package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.health.HealthIndicator;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base class of the Fusebox in-container tests: boots THE Fusebox distribution (the tar.gz the
 * assembly module builds) with Pax Exam.
 *
 * <p>A test class extends this, is annotated {@code @RunWith(PaxExam.class)} (and usually
 * {@code @ExamReactorStrategy(PerClass.class)}: one Karaf per class) and has a {@code @Configuration}
 * method returning {@link #demoSite()} (the distribution as shipped: the demo site's capabilities booted),
 * or {@link #platformOnly()} (no Fusebox feature), optionally
 * combined with more options through {@link #withOptions(Option[], Option...)}.
 *
 * <p>What the options take care of:
 * <ul>
 *   <li>the distribution is unpacked into {@code target/exam/<uuid>} and deleted afterwards
 *       ({@code -Dfusebox.itest.keep=true} keeps it);</li>
 *   <li>the container resolves Pax Exam's own bundles and anything a test adds with
 *       {@code mavenBundle(...)} from the build's local repository (it honours
 *       {@code -Dmaven.repo.local}); the distribution itself has no remote repository;</li>
 *   <li>no fixed port: HTTP gets a free port ({@link #httpPort()}), there is no SSH and no JMX/RMI in
 *       the distribution, Pax Exam picks its own free RMI ports;</li>
 *   <li>log level WARN for the container's root logger (data/log/karaf.log in the kept folder).</li>
 * </ul>
 */
public abstract class FuseboxKarafTestSupport {

    /** Every Fusebox feature; each one must install alone. */
    public static final List<String> FUSEBOX_FEATURES = List.of(
            "fusebox-api", "fusebox-core", "fusebox-optimiser-fuse", "fusebox-simulator",
            "fusebox-web-security", "fusebox-rest", "fusebox-web", "fusebox-shell", "fusebox-config", "fusebox-market-csv", "fusebox-market-entsoe",
            "fusebox-market-awattar", "fusebox-market-energycharts", "fusebox-market-caiso", "fusebox-market-pjm",
            "fusebox-market-tibber", "fusebox-market-nordpool", "fusebox-tariff", "fusebox-sessions",
            "fusebox-optimiser-ev-deadline", "fusebox-driver-modbus",
            "fusebox-forecast-simple", "fusebox-optimiser-battery", "fusebox-optimiser-peak-shaving",
            "fusebox-optimiser-audit", "fusebox-driver-ocpp", "fusebox-cloud-mqtt",
            "fusebox-management", "fusebox-history", "fusebox-metrics", "fusebox-grid-openadr", "fusebox-vpp",
            "fusebox-optimiser-ffr", "fusebox-demo");

    /**
     * The capability features fusebox-demo groups, which the distribution boots one by one. Keep in line
     * with features/src/main/feature/feature.xml and bootFeatures of karaf-distro/assembly/pom.xml.
     */
    public static final List<String> DEMO_CAPABILITIES = List.of(
            "fusebox-core", "fusebox-optimiser-fuse", "fusebox-simulator", "fusebox-driver-modbus", "fusebox-driver-ocpp",
            "fusebox-web-security", "fusebox-rest", "fusebox-shell", "fusebox-config", "fusebox-web", "fusebox-history", "fusebox-metrics");

    /**
     * The distribution's boot features without any Fusebox feature. Keep in line with bootFeatures of
     * karaf-distro/assembly/pom.xml.
     */
    public static final List<String> PLATFORM_BOOT_FEATURES = List.of(
            "framework", "scr", "eventadmin", "config", "feature", "bundle", "shell", "log",
            "system", "package", "service", "diagnostic");

    /** Timeout for anything asynchronous in the container (DS activation, HTTP whiteboard, ...). */
    protected static final long TIMEOUT_MILLIS = Long.getLong("fusebox.itest.timeout", 30_000);

    private static final String PAX_URL_MVN_CFG = "etc/org.ops4j.pax.url.mvn.cfg";
    private static final String FEATURES_CFG = "etc/org.apache.karaf.features.cfg";
    private static final String PAX_WEB_CFG = "etc/org.ops4j.pax.web.cfg";
    static final String USERS_PROPERTIES = "etc/users.properties";
    /** System property of the container carrying the HTTP port chosen for this run. */
    private static final String HTTP_PORT_PROPERTY = "fusebox.itest.http.port";
    private static final String HTTPS_PORT_PROPERTY = "fusebox.itest.https.port";

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected FeaturesService featuresService;

    // ------------------------------------------------------------------ options (test JVM side)

    /**
     * The distribution as shipped: the demo site's capabilities booted as separate root features
     * (fusebox-core, fusebox-simulator, ...), so one can be upgraded or uninstalled alone; etc/ defaults.
     */
    public static Option[] demoSite() {
        return distribution();
    }

    /**
     * The same distribution booted with the platform features only (no Fusebox bundle), so that a
     * test can install one feature alone.
     */
    public static Option[] platformOnly() {
        return withOptions(distribution(),
                editConfigurationFilePut(FEATURES_CFG, "featuresBoot", String.join(",", PLATFORM_BOOT_FEATURES)));
    }

    /** {@code base} followed by {@code more}. */
    public static Option[] withOptions(Option[] base, Option... more) {
        List<Option> all = new ArrayList<>(Arrays.asList(base));
        all.addAll(Arrays.asList(more));
        return all.toArray(new Option[0]);
    }

    /**
     * The options every Fusebox test container shares, with the test account ({@link #testAccount()}) that
     * {@link Http} calls as.
     */
    public static Option[] distribution() {
        return withOptions(distributionWithoutAccounts(), testAccount());
    }

    /**
     * The test account {@value Http#ITEST_USER} (Fusebox role admin) in the container's etc/users.properties: the
     * distribution ships without any account, so this is the one place tests get theirs. Written in clear; Karaf
     * hashes it (PBKDF2) when it starts.
     */
    public static Option testAccount() {
        return editConfigurationFilePut(USERS_PROPERTIES, Http.ITEST_USER, Http.ITEST_PASSWORD + ",fusebox-admin");
    }

    /** The distribution exactly as shipped: no account at all (the tests of the first start use this). */
    public static Option[] distributionWithoutAccounts() {
        String localRepo = localRepository();
        String karafVersion = System.getProperty("fusebox.karaf.version", "4.4.8");
        int[] ports = freePorts(6);
        int httpPort = ports[0];
        int gridPort = ports[1];
        int pvPort = ports[2];
        int batteryPort = ports[3];
        int ocppPort = ports[4];
        int httpsPort = ports[5];
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(distributionUrl())
                    .karafVersion(karafVersion)
                    .name("Fusebox")
                    .unpackDirectory(new File(System.getProperty("fusebox.exam.dir", "target/exam")))
                    .useDeployFolder(false),
            when(Boolean.getBoolean("fusebox.itest.keep")).useOptions(keepRuntimeFolder()),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.WARN),
            systemTimeout(TimeUnit.MINUTES.toMillis(3)),

            // Resolve Pax Exam's bundles (and test-only mavenBundle options) from the build's local
            // repository, read-only. The distribution's own system/ stays first.
            editConfigurationFilePut(PAX_URL_MVN_CFG, "org.ops4j.pax.url.mvn.localRepository", localRepo),
            editConfigurationFileExtend(PAX_URL_MVN_CFG, "org.ops4j.pax.url.mvn.defaultRepositories",
                    new File(localRepo).toURI() + "@id=build.local.repository@snapshots"),

            // The simulator's Modbus servers and the demo's driver configurations on free ports
            editConfigurationFilePut("etc/fusebox.simulator.cfg", "gridMeterModbusPort", Integer.toString(gridPort)),
            editConfigurationFilePut("etc/fusebox.simulator.cfg", "pvModbusPort", Integer.toString(pvPort)),
            editConfigurationFilePut("etc/fusebox.simulator.cfg", "batteryModbusPort", Integer.toString(batteryPort)),
            editConfigurationFilePut("etc/fusebox.driver.modbus-grid.cfg", "port", Integer.toString(gridPort)),
            editConfigurationFilePut("etc/fusebox.driver.modbus-pv.cfg", "port", Integer.toString(pvPort)),
            editConfigurationFilePut("etc/fusebox.driver.modbus-battery.cfg", "port", Integer.toString(batteryPort)),
            // ... and the OCPP central system the simulated chargers connect to
            editConfigurationFilePut("etc/fusebox.driver.ocpp.cfg", "port", Integer.toString(ocppPort)),
            editConfigurationFilePut("etc/fusebox.simulator.cfg", "ocppCentralSystemUrl", "ws://127.0.0.1:" + ocppPort + "/ocpp"),

            // HTTP (Pax Web) on a free port, written before any feature installs Pax Web
            editConfigurationFilePut(PAX_WEB_CFG, "org.osgi.service.http.port", Integer.toString(httpPort)),
            editConfigurationFilePut("etc/system.properties", HTTP_PORT_PROPERTY, Integer.toString(httpPort)),
            // ... and HTTPS (the gateway's generated certificate)
            editConfigurationFilePut(PAX_WEB_CFG, "org.osgi.service.http.port.secure", Integer.toString(httpsPort)),
            editConfigurationFilePut("etc/system.properties", HTTPS_PORT_PROPERTY, Integer.toString(httpsPort)),
        };
    }

    /** The tar.gz under test (set by the pom; falls back to the assembly module's output). */
    protected static String distributionUrl() {
        String path = System.getProperty("fusebox.distribution");
        File file = path != null ? new File(path) : assemblyOutput();
        if (!file.isFile()) {
            throw new IllegalStateException("Fusebox distribution not found at " + file.getAbsolutePath()
                    + ": run the build through Maven (mvn verify), which copies it there");
        }
        try {
            return file.toURI().toURL().toExternalForm();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Run from an IDE without the pom's system properties: the assembly module's own tar.gz. */
    private static File assemblyOutput() {
        File[] found = new File("../assembly/target").listFiles(
                (dir, name) -> name.startsWith("fusebox-distribution-") && name.endsWith(".tar.gz"));
        return found != null && found.length > 0 ? found[0] : new File("../assembly/target/fusebox-distribution.tar.gz");
    }

    /** The local Maven repository of this build: -Dmaven.repo.local, else ~/.m2/repository. */
    protected static String localRepository() {
        String repo = System.getProperty("maven.repo.local");
        if (repo == null || repo.isBlank()) {
            repo = System.getProperty("user.home") + File.separator + ".m2" + File.separator + "repository";
        }
        return new File(repo).getAbsolutePath();
    }

    /** {@code n} distinct free ports: the sockets are held open together so none is handed out twice. */
    static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0);
                socket.setReuseAddress(true);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("no free ports", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket we own; nothing to recover
                }
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    // ------------------------------------------------------------------ helpers (container side)

    /** The HTTP port of this container's Pax Web (only listening once an HTTP feature is installed). */
    protected int httpPort() {
        return Integer.parseInt(bundleContext.getProperty(HTTP_PORT_PROPERTY));
    }

    /** The HTTPS port of this container's Pax Web. */
    protected int httpsPort() {
        return Integer.parseInt(bundleContext.getProperty(HTTPS_PORT_PROPERTY));
    }

    /** The bundle with this symbolic name, if installed. */
    protected Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst();
    }

    /** Fails unless the bundle is installed and ACTIVE within {@link #TIMEOUT_MILLIS}. */
    protected Bundle assertBundleActive(String symbolicName) {
        waitFor("bundle " + symbolicName + " ACTIVE", () ->
                bundle(symbolicName).map(b -> b.getState() == Bundle.ACTIVE).orElse(false));
        return bundle(symbolicName).orElseThrow();
    }

    /**
     * Waits for a service and returns it. The service object is got through the probe's own
     * BundleContext and kept for the rest of the test (a tracker would release it on close, and a
     * released ServiceFactory service such as ConfigurationAdmin is dead for its caller).
     */
    protected <T> T awaitService(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, type, null);
        tracker.open();
        try {
            assertNotNull("no " + type.getName() + " service within " + TIMEOUT_MILLIS + " ms",
                    tracker.waitForService(TIMEOUT_MILLIS));
            ServiceReference<T> ref = tracker.getServiceReference();
            T service = ref == null ? null : bundleContext.getService(ref);
            assertNotNull(type.getName() + " went away while being looked up", service);
            return service;
        } finally {
            tracker.close();
        }
    }

    /** The health details of the component that reports under {@code name} (fails if there is none). */
    protected List<String> healthDetails(String name) throws Exception {
        for (ServiceReference<HealthIndicator> ref : bundleContext.getServiceReferences(HealthIndicator.class, null)) {
            HealthIndicator h = bundleContext.getService(ref);
            try {
                if (name.equals(h.name())) {
                    return h.health().details();
                }
            } finally {
                bundleContext.ungetService(ref);
            }
        }
        throw new AssertionError("no health indicator named " + name);
    }

    /** Polls {@code condition} until it holds or {@link #TIMEOUT_MILLIS} passed (then fails). */
    protected static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out after " + TIMEOUT_MILLIS + " ms waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Symbolic names of the installed bundles whose name starts with "fusebox-". */
    protected List<String> fuseboxBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .map(Bundle::getSymbolicName)
                .filter(n -> n != null && n.startsWith("fusebox-"))
                .sorted()
                .collect(Collectors.toList());
    }

    /** One line per bundle: id, state, name/version; for failure messages. */
    protected String bundleReport() {
        return Arrays.stream(bundleContext.getBundles())
                .map(b -> String.format("%4d %-11s %s/%s", b.getBundleId(), stateName(b.getState()),
                        b.getSymbolicName(), b.getVersion()))
                .collect(Collectors.joining("\n"));
    }

    static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return Integer.toString(state);
        }
    }

    protected static void assertState(String message, int expected, Bundle bundle) {
        assertEquals(message, stateName(expected), stateName(bundle.getState()));
    }

    /** An option list that is empty; handy with {@code withOptions} in subclasses. */
    protected static Option noOption() {
        return composite();
    }

    /**
     * Waits until Karaf has installed its boot features and no bundle is still starting: the site may run before the
     * last boot features (the web stack) have started, and a test that watches bundle events must not see them start.
     */
    protected void awaitBootFinished() {
        waitFor("the boot features installed and no bundle starting", () -> bundleContext.getServiceReference(
                "org.apache.karaf.features.BootFinished") != null && java.util.Arrays.stream(bundleContext.getBundles())
                        .noneMatch(b -> b.getState() == Bundle.STARTING));
    }
}

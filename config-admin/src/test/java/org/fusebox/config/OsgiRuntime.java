package org.fusebox.config;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;

/**
 * A real OSGi runtime for the tests: the Felix framework in this JVM with Felix Config Admin and Felix
 * Metatype installed from their released jars, plus a bundle made here that carries the Metatype of the
 * test PIDs. The Config Admin and Metatype API packages come from the test class path through the system
 * bundle, so the test code talks to the bundles' services directly.
 */
final class OsgiRuntime implements AutoCloseable {

    static final String LIMITS = "fusebox.test.limits";
    static final String DEVICE_FACTORY = "fusebox.test.device";
    /** A configuration no installed bundle defines. */
    static final String FREE = "fusebox.test.free";

    static final String METATYPE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.4.0">
              <OCD id="limits" name="Test limits">
                <AD id="fuseLimitAmps" type="Double" min="1" max="1000" default="63"/>
                <AD id="mode" type="String" default="fast">
                  <Option label="Fast" value="fast"/>
                  <Option label="Slow" value="slow"/>
                </AD>
                <AD id="apiToken" type="String" required="false"/>
                <AD id="adminPin" type="Password" required="false"/>
                <AD id="phases" type="Integer" cardinality="3" min="1" max="3" required="false"/>
              </OCD>
              <OCD id="device" name="Test device">
                <AD id="host" type="String"/>
                <AD id="port" type="Integer" min="1" max="65535" default="502"/>
                <AD id="enabled" type="Boolean" default="true"/>
              </OCD>
              <Designate pid="fusebox.test.limits"><Object ocdref="limits"/></Designate>
              <Designate pid="fusebox.test.device" factoryPid="fusebox.test.device"><Object ocdref="device"/></Designate>
            </metatype:MetaData>
            """;

    private final Path home;
    private final Framework framework;
    private final ConfigurationAdmin configAdmin;
    private final MetaTypeService metaTypes;

    OsgiRuntime() throws Exception {
        home = Files.createTempDirectory("fusebox-config-osgi");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, home.resolve("framework").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.cm;version=1.6.1,org.osgi.service.metatype;version=1.4.1");
        framework = new FrameworkFactory().newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> bundles = List.of(
                ctx.installBundle(bundleUrl("log")),
                ctx.installBundle(bundleUrl("configadmin")),
                ctx.installBundle(bundleUrl("metatype")),
                ctx.installBundle(testBundle().toUri().toString()));
        for (Bundle b : bundles) {
            b.start();
        }
        configAdmin = ctx.getService(ctx.getServiceReference(ConfigurationAdmin.class));
        metaTypes = ctx.getService(ctx.getServiceReference(MetaTypeService.class));
        Bundle testBundle = bundles.get(3);
        waitFor("the test Metatype to be read", () -> {
            MetaTypeInformation info = metaTypes.getMetaTypeInformation(testBundle);
            return info != null && info.getPids() != null && Arrays.asList(info.getPids()).contains(LIMITS);
        });
    }

    private static String bundleUrl(String name) {
        String path = System.getProperty("fusebox.test.bundle." + name);
        if (path == null || path.isBlank() || path.startsWith("${")) {
            throw new IllegalStateException("system property fusebox.test.bundle." + name + " is not set; run the tests through Maven");
        }
        return Path.of(path).toUri().toString();
    }

    private Path testBundle() throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, "fusebox.test.metatype");
        a.putValue(Constants.BUNDLE_VERSION, "1.0.0");
        Path jar = home.resolve("test-metatype.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("OSGI-INF/metatype/test.xml"));
            j.write(METATYPE.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return jar;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    ConfigurationAdmin configAdmin() {
        return configAdmin;
    }

    MetaTypeService metaTypes() {
        return metaTypes;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    MetatypeLookup metatypes() {
        return new MetatypeLookup(context(), metaTypes);
    }

    /** Deletes every fusebox.* configuration. */
    void clear() throws Exception {
        Configuration[] all = configAdmin.listConfigurations("(|(service.pid=fusebox.*)(service.factoryPid=fusebox.*))");
        for (Configuration c : all == null ? new Configuration[0] : all) {
            c.delete();
        }
    }

    /** Sets a configuration straight through Config Admin, as a file or another tool would. */
    void put(String pid, Map<String, Object> properties) throws IOException {
        Configuration c;
        int tilde = pid.indexOf('~');
        if (tilde > 0) {
            c = configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
        } else {
            c = configAdmin.getConfiguration(pid, "?");
        }
        c.update(new Hashtable<>(properties));
    }

    /** Every fusebox.* configuration's own properties, as Config Admin holds them. */
    Map<String, Map<String, Object>> state() throws Exception {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        Configuration[] all = configAdmin.listConfigurations("(|(service.pid=fusebox.*)(service.factoryPid=fusebox.*))");
        for (Configuration c : all == null ? new Configuration[0] : all) {
            Dictionary<String, Object> d = c.getProperties();
            if (d == null) {
                continue;
            }
            Map<String, Object> props = new TreeMap<>();
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (!ConfigurationEngine.isLocalKey(k)) {
                    props.put(k, d.get(k));
                }
            }
            out.put(c.getPid(), props);
        }
        return out;
    }

    /** Whether two states hold the same configurations with the same values (arrays by content). */
    static boolean sameState(Map<String, Map<String, Object>> a, Map<String, Map<String, Object>> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.keySet().stream().allMatch(pid -> ValueCodec.sameProperties(a.get(pid), b.get(pid)));
    }

    /**
     * This runtime's Config Admin, except that the next write (update or delete) of a configuration with
     * the PID given to {@link FailingWrites#failNextWriteOf} throws, as a full disk or a broken persistence
     * would. It fails once, so the restore that follows can work.
     */
    FailingWrites failingWrites() {
        return new FailingWrites(configAdmin);
    }

    static final class FailingWrites {
        private final ConfigurationAdmin delegate;
        private volatile String failOn;
        final ConfigurationAdmin configAdmin;

        FailingWrites(ConfigurationAdmin delegate) {
            this.delegate = delegate;
            this.configAdmin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { ConfigurationAdmin.class }, (proxy, method, args) -> wrap(invoke(delegate, method, args)));
        }

        void failNextWriteOf(String pid) {
            failOn = pid;
        }

        private Object wrap(Object result) {
            if (result instanceof Configuration c) {
                return wrapOne(c);
            }
            if (result instanceof Configuration[] cs) {
                return Stream.of(cs).map(this::wrapOne).toArray(Configuration[]::new);
            }
            return result;
        }

        private Configuration wrapOne(Configuration c) {
            InvocationHandler h = (proxy, method, args) -> {
                boolean write = (method.getName().equals("update") && args != null && args.length == 1) || method.getName().equals("delete");
                if (write && c.getPid().equals(failOn)) {
                    failOn = null;
                    throw new IOException("injected write failure for " + c.getPid());
                }
                return invoke(c, method, args);
            };
            return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Configuration.class }, h);
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        ConfigurationAdmin delegate() {
            return delegate;
        }
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(Duration.ofSeconds(30).toMillis());
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

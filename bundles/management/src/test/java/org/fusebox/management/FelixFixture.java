package org.fusebox.management;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A real Apache Felix framework in this JVM, with Felix SCR installed. The system bundle exports the API
 * packages from the test class path, so test code and bundles share the same HealthIndicator and
 * ServiceComponentRuntime classes.
 */
final class FelixFixture implements AutoCloseable {

    private static final String EXTRA_PACKAGES = String.join(",",
            "org.fusebox.api.health;version=1.0.0",
            "org.fusebox.api.cloud;version=1.2.0",
            "org.fusebox.api.security;version=1.0.0",
            "org.osgi.service.component;version=1.5.1",
            "org.osgi.service.component.runtime;version=1.5.0",
            "org.osgi.service.component.runtime.dto;version=1.5.0",
            "org.osgi.util.promise;version=1.2.0",
            "org.osgi.util.function;version=1.2.0",
            // for running this bundle itself in the framework (BundleSmokeTest)
            "org.osgi.service.event;version=1.4.1",
            "org.slf4j;version=1.7.36",
            "com.fasterxml.jackson.core;version=2.17.2",
            "com.fasterxml.jackson.databind;version=2.17.2",
            "com.fasterxml.jackson.databind.node;version=2.17.2");

    private final Framework framework;

    private FelixFixture(Framework framework) {
        this.framework = framework;
    }

    /** @param clean whether to start from an empty bundle cache (false: come back with what was installed, as after a crash) */
    static FelixFixture start(Path storage, boolean clean) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        if (clean) {
            props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, EXTRA_PACKAGES);
        props.put("felix.log.level", "1");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework fw = factory.newFramework(props);
        fw.start();
        FelixFixture f = new FelixFixture(fw);
        if (f.find("org.apache.felix.scr") == null) {
            Bundle scr = fw.getBundleContext().installBundle(jarOf("org.apache.felix.scr.impl.Activator").toURI().toString());
            scr.start();
        }
        return f;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Bundle find(String bsn) {
        for (Bundle b : context().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** Stops the framework as a kill would leave it: whatever is in the bundle cache stays. */
    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        FrameworkEvent e = framework.waitForStop(TimeUnit.SECONDS.toMillis(60));
        if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            throw new IllegalStateException("framework did not stop within 60 s");
        }
    }

    private static File jarOf(String className) throws ClassNotFoundException, URISyntaxException {
        return new File(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

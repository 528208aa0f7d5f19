package org.fusebox.management.testbundle;

import java.util.Hashtable;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Packed into generated test bundles: starts, but reports itself DOWN. */
public class DownHealthActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        context.registerService(HealthIndicator.class, new HealthIndicator() {
            @Override
            public String name() {
                return "test.down";
            }

            @Override
            public Health health() {
                return Health.down("cannot reach its device");
            }
        }, new Hashtable<>());
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}

package org.fusebox.management.testbundle;

import org.fusebox.management.testbundle.lib.Greeting;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Packed into a generated consumer bundle: wires it to the library bundle's package. */
public class ConsumerActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        if (Greeting.text().isEmpty()) {
            throw new IllegalStateException("library broken");
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing to undo
    }
}

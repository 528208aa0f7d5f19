package org.fusebox.management.testbundle;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Packed into generated test bundles: a release that starts fine. */
public class GoodActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        // nothing to do: starting is the test
    }

    @Override
    public void stop(BundleContext context) {
        // nothing to undo
    }
}

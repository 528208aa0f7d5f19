package org.fusebox.management.testbundle;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Packed into generated test bundles: a bad release whose start throws. */
public class FailingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("bad release: cannot start");
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}

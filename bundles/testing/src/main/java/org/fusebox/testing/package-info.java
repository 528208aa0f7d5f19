/**
 * Test support for code written against the Fusebox api: build a {@link org.fusebox.testing.TestSites}
 * snapshot in a few lines and feed it to an optimiser; serve a price source's documents over loopback
 * with {@link org.fusebox.testing.PriceServer}; move time by hand with {@link org.fusebox.testing.MutableClock}.
 */
@Version("1.1.0")
@Export
package org.fusebox.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

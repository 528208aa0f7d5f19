/**
 * Test support for code written against the Fusebox api: build a {@link org.fusebox.testing.TestSites}
 * snapshot in a few lines and feed it to an optimiser.
 */
@Version("1.0.0")
@Export
package org.fusebox.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

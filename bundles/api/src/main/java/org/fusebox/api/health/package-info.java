/**
 * Health reporting: components say whether they work, and why not. The site API and the shell show
 * these, grouped by bundle.
 */
@Version("1.0.0")
@Export
package org.fusebox.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

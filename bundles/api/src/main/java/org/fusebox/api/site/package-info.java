/**
 * The immutable picture of the site at one instant that every optimiser works from: limits, every device
 * with its status, ratings and latest reading, and the prices in force.
 */
@Version("1.4.0")
@Export
package org.fusebox.api.site;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

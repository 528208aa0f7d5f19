/**
 * Signals from the grid side: capacity limits, prices, load-shed levels and alerts that a utility,
 * aggregator or virtual power plant sends the site (for example as OpenADR 3 events). A connector
 * publishes them as a {@link org.fusebox.api.grid.GridSignalSource}; the control core applies the
 * capacity limits in its safety tier, like the fuse.
 *
 * @since 1.0
 */
@Version("1.0.0")
@Export
package org.fusebox.api.grid;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

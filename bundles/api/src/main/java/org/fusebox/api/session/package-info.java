/**
 * Charging sessions as the gateway metered them: energy per price slot, the price in force and the cost of
 * each slot, recorded from what the control core sees each cycle and kept across restarts.
 *
 * @since 1.0
 */
@Version("1.0.0")
@Export
package org.fusebox.api.session;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Physical and monetary quantities as value types. Every quantity that crosses the Fusebox API is one of
 * these, never a bare {@code double}, so that watts are never mistaken for kilowatts or amps.
 */
@Version("1.1.0")
@Export
package org.fusebox.api.units;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

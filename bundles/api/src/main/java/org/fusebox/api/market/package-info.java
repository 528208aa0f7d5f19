/** Energy prices: the contract market connectors implement and optimisers read. */
@Version("1.0.0")
@Export
package org.fusebox.api.market;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** Energy prices: the contract market connectors and tariffs implement and optimisers read. */
@Version("1.1.0")
@Export
package org.fusebox.api.market;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

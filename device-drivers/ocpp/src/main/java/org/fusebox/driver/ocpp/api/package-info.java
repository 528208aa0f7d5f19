/**
 * The OCPP 1.6J central system as other bundles see it: {@link org.fusebox.driver.ocpp.api.CentralSystem} to
 * list the connected charge points and send them requests, {@link org.fusebox.driver.ocpp.api.Authorizer} and
 * {@link org.fusebox.driver.ocpp.api.DataTransferHandler} to plug decisions in. Plain Java types only, no
 * JSON library: a charger's full answer is handed over as JSON text.
 */
@Version("1.0.0")
@Export
package org.fusebox.driver.ocpp.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

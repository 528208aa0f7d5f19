/**
 * The cloud link contract: publish telemetry and events upstream, receive commands. The cloud bundle
 * implements it over MQTT with store-and-forward; other bundles only see these interfaces.
 */
@Version("1.0.0")
@Export
package org.fusebox.api.cloud;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

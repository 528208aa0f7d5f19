/**
 * The cloud link contract: publish telemetry and events upstream, receive commands. The cloud bundle
 * implements it over MQTT with store-and-forward; other bundles only see these interfaces.
 *
 * <p>Remote management uses a request/response shape: a request arrives on
 * {@code <namespace>/<app>/<method>/<resource>} with a JSON envelope carrying {@code requestId},
 * {@code requesterClientId} and {@code body}; the cloud link hands it to the {@link
 * org.fusebox.api.cloud.CloudRequestHandler} of that app, sends progress to {@code <namespace>/<app>/NOTIFY/<requestId>}
 * and the reply to {@code <namespace>/<app>/REPLY/<requestId>} (lifecycle priority: never dropped).
 *
 * <p>1.2: {@link org.fusebox.api.cloud.CloudPublisher#publishAsync} stores without waiting for the disk and
 * completes once the message is durable.
 */
@Version("1.2.0")
@Export
package org.fusebox.api.cloud;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

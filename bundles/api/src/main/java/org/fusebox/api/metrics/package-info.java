/**
 * Measurements a bundle offers about itself (requests, errors, queue depths, connections), for an exporter such
 * as fusebox-metrics to publish. A bundle registers a {@link org.fusebox.api.metrics.MetricsSource} service
 * and answers from counters it keeps anyway; the exporter asks at scrape time, so a source costs nothing
 * between scrapes and never depends on the exporter.
 *
 * @since 1.0
 */
@Version("1.0.0")
@Export
package org.fusebox.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Machinery shared by the price feed bundles, none of it tied to one source: {@link
 * org.fusebox.market.support.HttpGet} (timeouts, a body limit, one clear reason per failure), {@link
 * org.fusebox.market.support.DailySchedule} (fetch after publication, capped doubling retries, a minimum
 * spacing), {@link org.fusebox.market.support.RateLimiter}, {@link org.fusebox.market.support.PriceCache}
 * (atomic file in the bundle data area), {@link org.fusebox.market.support.KnownPrices} and {@link
 * org.fusebox.market.support.FeedFetcher}, which runs a {@link org.fusebox.market.support.PriceSource} on
 * its own thread and reports how far ahead prices are known, and {@link
 * org.fusebox.market.support.FeedRunner}, what a feed component does with its configuration whatever the
 * source (1.1). A feed bundle keeps only what its source defines: the request, the document format and its
 * quirks, and its configuration.
 */
@Version("1.1.0")
@Export
package org.fusebox.market.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

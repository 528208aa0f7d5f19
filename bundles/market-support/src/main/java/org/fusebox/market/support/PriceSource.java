package org.fusebox.market.support;

import java.time.Instant;
import org.osgi.annotation.versioning.ConsumerType;

/** One source's request and document format; {@link FeedFetcher} does the rest. */
@ConsumerType
public interface PriceSource {

    /**
     * Asks for the prices of {@code [from, to)} and returns all of them or none: a document with one bad
     * value is refused whole. Called on the fetch thread only.
     *
     * @throws FeedException the answer cannot be used; the reason says why
     */
    FetchResult fetch(Instant from, Instant to) throws FeedException, InterruptedException;
}

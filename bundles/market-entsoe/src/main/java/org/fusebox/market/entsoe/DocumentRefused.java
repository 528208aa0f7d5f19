package org.fusebox.market.entsoe;

import org.fusebox.market.support.FeedException;

/** A response that is not a usable price document; the message says why, without the token. */
final class DocumentRefused extends FeedException {

    private static final long serialVersionUID = 1L;

    DocumentRefused(String reason) {
        super(reason);
    }

    DocumentRefused(String reason, Throwable cause) {
        super(reason, cause);
    }
}

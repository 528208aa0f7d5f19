package org.fusebox.market.caiso;

import org.fusebox.market.support.FeedException;

/** An OASIS answer that is not a usable price report; the message says why. */
final class ReportRefused extends FeedException {

    private static final long serialVersionUID = 1L;

    ReportRefused(String reason) {
        super(reason);
    }

    ReportRefused(String reason, Throwable cause) {
        super(reason, cause);
    }
}

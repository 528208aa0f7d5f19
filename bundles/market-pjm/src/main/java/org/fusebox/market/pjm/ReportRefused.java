package org.fusebox.market.pjm;

import org.fusebox.market.support.FeedException;

/** A Data Miner answer that is not usable; the message says why and never holds the subscription key. */
final class ReportRefused extends FeedException {

    private static final long serialVersionUID = 1L;

    ReportRefused(String reason) {
        super(reason);
    }

    ReportRefused(String reason, Throwable cause) {
        super(reason, cause);
    }
}

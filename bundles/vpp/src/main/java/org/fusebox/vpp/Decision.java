package org.fusebox.vpp;

/**
 * The answer to a dispatch.
 *
 * @param status         200 accepted, 400 malformed or impossible, 409 conflicting with the offer or another dispatch
 * @param reason         why it was refused, or what to know about an accepted one; empty if nothing
 * @param offeredShedKw  what the site can shed over the dispatch's period (0 when unknown)
 * @param requiredShedKw what the dispatch asks below the import expected without it
 * @param beyondOffer    whether it asks more than offered (accepted only with {@code acceptBeyondOffer})
 */
record Decision(int status, String reason, double offeredShedKw, double requiredShedKw, boolean beyondOffer) {

    boolean accepted() {
        return status == 200;
    }

    static Decision refused(int status, String reason) {
        return new Decision(status, reason, 0, 0, false);
    }
}

package org.fusebox.management;

/** EventAdmin topics this bundle posts (below {@code fusebox/}). */
final class ManagementEvents {

    private ManagementEvents() {
    }

    static final String UPGRADED = "fusebox/management/UPGRADED";
    static final String REFUSED = "fusebox/management/REFUSED";
    static final String ROLLED_BACK = "fusebox/management/ROLLED_BACK";
    static final String ROLLBACK_FAILED = "fusebox/management/ROLLBACK_FAILED";
    static final String RECOVERED = "fusebox/management/RECOVERED";
    /** A bundle this service put in place was changed behind its back (e.g. by a Karaf feature operation). */
    static final String REVERTED = "fusebox/management/REVERTED";

    static final String KIND = "kind";
    static final String NAME = "name";
    static final String FROM = "fromVersion";
    static final String TO = "toVersion";
    static final String REQUEST_ID = "requestId";
    static final String EXPECTED = "expectedVersion";
    static final String FOUND = "foundVersion";
}

package org.fusebox.api.site;

/**
 * The site's notion of time. A {@link java.time.Clock} registered as an OSGi service with the property
 * {@value #SERVICE_PROPERTY}={@value #SITE} is the time the core stamps snapshots with and judges the
 * freshness of readings by; the simulator registers one when it runs faster than real time. Without one,
 * the system clock (UTC) is used.
 */
public final class SiteClock {

    public static final String SERVICE_PROPERTY = "fusebox.clock";
    public static final String SITE = "site";
    /** Filter selecting the site clock service. */
    public static final String FILTER = "(" + SERVICE_PROPERTY + "=" + SITE + ")";

    private SiteClock() {
    }
}

package org.fusebox.rest;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ChargingRequests;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.rest.view.BundlesView;
import org.fusebox.rest.view.ComponentHealthView;

/** Where the API's answers come from; the servlet component reads the OSGi services, tests hand in their own. */
interface ApiSources {

    /** The control loop, when the core is running. */
    Optional<ControlLoop> controlLoop();

    /** Drivers' charging requests, when the core is running. */
    Optional<ChargingRequests> chargingRequests();

    /** The site's now: the site clock's when there is one, else the system's. */
    Instant now();

    /** Every health indicator's answer. */
    List<ComponentHealthView> health();

    /** The Fusebox bundles. */
    BundlesView bundles();

    /** The recorded charging sessions, when fusebox-sessions is installed. */
    default Optional<SessionHistory> sessions() {
        return Optional.empty();
    }

    /** The zone report periods given as dates are read in. */
    default ZoneId reportZone() {
        return ZoneOffset.UTC;
    }
}

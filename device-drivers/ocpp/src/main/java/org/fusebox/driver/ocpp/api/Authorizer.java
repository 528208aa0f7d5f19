package org.fusebox.driver.ocpp.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides on id tags the local list in the configuration does not name (a backend, a wallet, a token
 * service). Registered as an OSGi service; when several are, the highest ranked one is asked. Called on
 * the charge point's connection thread: answer from memory, quickly.
 */
@ConsumerType
public interface Authorizer {

    /**
     * @return the decision, or {@code null} when this authorizer does not know the tag (it is then Invalid)
     */
    IdTagStatus authorize(String chargePointId, String idTag);
}

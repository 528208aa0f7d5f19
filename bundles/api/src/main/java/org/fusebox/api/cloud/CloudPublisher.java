package org.fusebox.api.cloud;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends messages upstream. A message accepted here is stored durably before this returns and sent when
 * the link allows, in priority order.
 */
@ProviderType
public interface CloudPublisher {

    /** @return an id for the stored message */
    String publish(CloudMessage message) throws CloudException;

    boolean isConnected();
}

package org.fusebox.cloud.mqtt;

import org.fusebox.api.cloud.CloudException;

/** The store has no room for a message, not even after dropping what the policy allows. */
final class StoreFullException extends CloudException {

    private static final long serialVersionUID = 1L;

    StoreFullException(String message) {
        super(message);
    }
}

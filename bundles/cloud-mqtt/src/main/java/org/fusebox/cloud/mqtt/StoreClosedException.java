package org.fusebox.cloud.mqtt;

import org.fusebox.api.cloud.CloudException;

/** The store is closed (or closing): nothing new is taken; the link retries on the store that replaced it. */
final class StoreClosedException extends CloudException {

    private static final long serialVersionUID = 1L;

    StoreClosedException(String message) {
        super(message);
    }
}

package org.fusebox.api.cloud;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives messages from the cloud. */
@ConsumerType
@FunctionalInterface
public interface CloudMessageListener {
    void onMessage(CloudMessage message);
}

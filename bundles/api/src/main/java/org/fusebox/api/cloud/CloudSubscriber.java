package org.fusebox.api.cloud;

import org.osgi.annotation.versioning.ProviderType;

/** Delivers messages from the cloud to listeners. */
@ProviderType
public interface CloudSubscriber {

    /**
     * @param topicFilter a topic below the gateway's namespace; MQTT wildcards allowed
     * @return closing it ends the subscription
     */
    AutoCloseable subscribe(String topicFilter, CloudMessageListener listener);
}

package org.fusebox.api.cloud;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One remote application (deploy, configuration, status), registered as an OSGi service. The cloud link
 * delivers each request for {@link #app()} to it on a worker of its own, publishes progress as it is
 * reported, and publishes the response as the reply. Requests to one application are handled one at a
 * time, in arrival order.
 */
@ConsumerType
public interface CloudRequestHandler {

    /** The application name requests are addressed to, e.g. {@code DEPLOY-V1}; letters, digits and dashes. */
    String app();

    /**
     * Handles one request. May take long (minutes for an upgrade); a throw is answered with status 500 and
     * the exception's message.
     */
    CloudResponse handle(CloudRequest request, RequestProgress progress) throws Exception;
}

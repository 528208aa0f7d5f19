package org.fusebox.api.cloud;

import org.osgi.annotation.versioning.ProviderType;

/** Lets a long request (a download, an upgrade) tell the requester how far it got. */
@ProviderType
@FunctionalInterface
public interface RequestProgress {

    /**
     * @param step    a short name of the step, e.g. {@code download}, {@code verify}, {@code install}
     * @param percent 0 to 100 for the whole request, or -1 when unknown
     * @param message what happened, for the operator
     */
    void report(String step, int percent, String message);
}

package org.fusebox.api.security;

import org.fusebox.api.cloud.CloudRequest;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells whether a remote request was signed by an operator this gateway trusts, for this gateway, now, and
 * only once. Applications call it for every request that would change something, before they change it.
 */
@ProviderType
public interface OperatorRequestVerifier {

    /** The body field that carries the signed text. */
    String SIGNED_REQUEST = "signedRequest";

    /** @return whether the request's body is in the signed form at all (it may still be refused by {@link #verify}) */
    boolean isSigned(CloudRequest request);

    /**
     * Checks the signature, the key, the gateway, the time window and that the request id was not seen before,
     * and that the signed app, method, resource and request id are those of {@code request}. A request that passes
     * is remembered, so the same signed request is refused the next time.
     *
     * @return what was signed, with the request's own body
     * @throws RequestRefusedException with the reason; nothing was remembered
     */
    AuthorisedRequest verify(CloudRequest request) throws RequestRefusedException;
}

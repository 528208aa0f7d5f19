/**
 * Authorisation of remote operations: a request that changes anything on the gateway (install, upgrade,
 * uninstall, rollback, a configuration change) must carry the signature of an operator key the gateway
 * trusts. The management bundle verifies; the applications that take requests ({@code DEPLOY-V1},
 * {@code CONF-V1}) ask the {@link org.fusebox.api.security.OperatorRequestVerifier} service before they act,
 * so none of them needs the verifier's implementation.
 *
 * <p>The signed form of a request (its body on the cloud link):
 * <pre>
 * {"signedRequest": "&lt;the signed text&gt;", "keyId": "ops-2026", "signature": "&lt;base64&gt;"}
 * </pre>
 * where the signed text is a JSON object naming {@code app}, {@code method}, {@code resource}, {@code gateway},
 * {@code requestId}, {@code issuedAt}, {@code expiresAt} (ISO-8601 instants), {@code safetyOverride} (boolean)
 * and {@code body} (the request's own body). The signature covers the exact UTF-8 bytes of that text, so nothing
 * is re-encoded between the operator and the gateway; the management bundle's README gives the byte-exact rule.
 */
@Version("1.0.0")
@Export
package org.fusebox.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

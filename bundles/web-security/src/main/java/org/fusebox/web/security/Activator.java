package org.fusebox.web.security;

import java.nio.file.Path;
import java.util.Optional;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the gateway's HTTPS keystore before Pax Web reads it: the feature starts this bundle at start level 25,
 * before Pax Web (30), so on the first start the keystore exists by the time Jetty opens its HTTPS port. Nothing
 * else happens here; the components are Declarative Services.
 */
public final class Activator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(Activator.class);

    @Override
    public void start(BundleContext context) {
        String etc = context.getProperty("karaf.etc");
        if (etc == null) {
            return;
        }
        String secrets = Optional.ofNullable(context.getProperty("org.apache.felix.configadmin.plugin.interpolation.secretsdir"))
                .orElse(etc + "/secrets");
        try {
            new TlsKeystore(Path.of(etc), Path.of(secrets), Path.of(System.getProperty("java.home"))).ensure().ifPresent(o -> {
                if (o.generated()) {
                    LOG.warn("Generated a self-signed certificate for HTTPS in {} (SHA-256 fingerprint {}); "
                            + "compare it with what the browser shows, or install the OEM's certificate (bundles/web-security/README.md)",
                            o.keystore(), o.fingerprint());
                } else {
                    LOG.info("HTTPS certificate {} (SHA-256 fingerprint {})", o.keystore(), o.fingerprint());
                }
            });
        } catch (Exception e) {
            LOG.error("HTTPS certificate not available: {}; HTTPS will not start until this is fixed", e.getMessage());
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing held
    }
}

package org.fusebox.cloud.mqtt;

import java.util.Hashtable;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The cloud link's health while it has no configuration. The link itself only exists once
 * {@code fusebox.cloud.mqtt} is configured (it cannot connect anywhere before), so without this an
 * installed but unconfigured link would show nothing at all. This registers a {@code cloud.mqtt} health
 * saying what to set, and withdraws it as soon as the configured link reports its own.
 */
@Component(immediate = true, service = {})
public final class CloudLinkSetupHealth {

    static final String NOT_CONFIGURED = "not configured: set brokerUrl (ssl://host:8883) and clientId in etc/"
            + CloudMqttComponent.PID + ".cfg (password = $[secret:mqtt.password], the password in etc/secrets/mqtt.password);"
            + " until then nothing is sent to or taken from the cloud";

    private BundleContext context;
    private ServiceRegistration<HealthIndicator> registration;
    private boolean linkPresent;
    private boolean active;

    @Activate
    synchronized void activate(BundleContext bundleContext) {
        context = bundleContext;
        active = true;
        update();
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        update();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(component.name=org.fusebox.cloud.mqtt.CloudMqttComponent)")
    synchronized void setLink(HealthIndicator link) {
        linkPresent = true;
        update();
    }

    synchronized void unsetLink(HealthIndicator link) {
        linkPresent = false;
        update();
    }

    private void update() {
        boolean wanted = active && !linkPresent;
        if (wanted && registration == null) {
            registration = context.registerService(HealthIndicator.class, new NotConfigured(), new Hashtable<>());
        } else if (!wanted && registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
    }

    /** The health shown meanwhile. */
    static final class NotConfigured implements HealthIndicator {
        @Override
        public String name() {
            return "cloud.mqtt";
        }

        @Override
        public Health health() {
            return Health.degraded(NOT_CONFIGURED);
        }
    }
}

package org.fusebox.rest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.rest.view.ComponentHealthView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HealthIndicator services currently registered, with the bundle that registered each. Filled by the
 * servlet component's dynamic reference; read on every request, so it is safe for concurrent use.
 */
final class HealthRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HealthRegistry.class);

    /** One indicator and its owner. */
    record Registration(HealthIndicator indicator, long bundleId, String bundleName) {
    }

    private final Map<Long, Registration> byServiceId = new ConcurrentHashMap<>();

    void add(long serviceId, Registration registration) {
        byServiceId.put(serviceId, registration);
    }

    void remove(long serviceId) {
        byServiceId.remove(serviceId);
    }

    /** Asks every indicator; worst first. */
    List<ComponentHealthView> checkAll() {
        return byServiceId.values().stream().map(HealthRegistry::check).sorted(ComponentHealthView.WORST_FIRST).toList();
    }

    /** Asks the indicators one bundle registered; worst first. */
    List<ComponentHealthView> checkBundle(long bundleId) {
        return byServiceId.values().stream()
                .filter(r -> r.bundleId() == bundleId)
                .map(HealthRegistry::check)
                .sorted(ComponentHealthView.WORST_FIRST)
                .toList();
    }

    /** An indicator that throws is itself a broken component: report it DOWN instead of failing the request. */
    static ComponentHealthView check(Registration r) {
        String name = nameOf(r);
        try {
            Health health = r.indicator().health();
            if (health == null) {
                return new ComponentHealthView(name, r.bundleName(), HealthStatus.DOWN, List.of("health check returned nothing"));
            }
            return new ComponentHealthView(name, r.bundleName(), health.status(), health.details());
        } catch (RuntimeException e) {
            LOG.warn("Health indicator {} of bundle {} failed", name, r.bundleName(), e);
            return new ComponentHealthView(name, r.bundleName(), HealthStatus.DOWN, List.of("health check failed: " + e));
        }
    }

    /** The indicator's own name; failing that its bundle's, so that every line can be told apart. */
    private static String nameOf(Registration r) {
        String fallback = r.bundleName() == null ? "bundle " + r.bundleId() : r.bundleName();
        try {
            String name = r.indicator().name();
            return name == null || name.isBlank() ? fallback : name;
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}

package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.rest.view.ComponentHealthView;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {

    static HealthIndicator indicator(String name, Supplier<Health> health) {
        return new HealthIndicator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Health health() {
                return health.get();
            }
        };
    }

    private final HealthRegistry registry = new HealthRegistry();

    @Test
    void reportsEachIndicatorWithItsBundleWorstFirst() {
        registry.add(10, new HealthRegistry.Registration(indicator("core", Health::up), 5, "fusebox-core"));
        registry.add(11, new HealthRegistry.Registration(
                indicator("simulator", () -> Health.degraded("meter slow")), 7, "fusebox-simulator"));

        List<ComponentHealthView> all = registry.checkAll();

        assertThat(all).extracting(ComponentHealthView::name).containsExactly("simulator", "core");
        assertThat(all.get(0).bundle()).isEqualTo("fusebox-simulator");
        assertThat(all.get(0).details()).containsExactly("meter slow");
    }

    @Test
    void aThrowingIndicatorIsReportedDownInsteadOfFailing() {
        registry.add(10, new HealthRegistry.Registration(indicator("broken", () -> {
            throw new IllegalStateException("boom");
        }), 5, "fusebox-broken"));

        ComponentHealthView view = registry.checkAll().get(0);

        assertThat(view.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(view.details()).singleElement().asString().contains("boom");
    }

    @Test
    void anIndicatorAnsweringNullIsDown() {
        registry.add(10, new HealthRegistry.Registration(indicator("silent", () -> null), 5, "fusebox-x"));

        assertThat(registry.checkAll().get(0).status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void anUnnamedIndicatorIsNamedAfterItsBundle() {
        registry.add(10, new HealthRegistry.Registration(indicator(null, Health::up), 5, "fusebox-x"));

        assertThat(registry.checkAll().get(0).name()).isEqualTo("fusebox-x");
    }

    @Test
    void anIndicatorWithoutNameOrBundleNameIsNamedAfterTheBundleId() {
        registry.add(10, new HealthRegistry.Registration(indicator(" ", Health::up), 5, null));
        registry.add(11, new HealthRegistry.Registration(indicator("core", Health::up), 6, "fusebox-core"));

        assertThat(registry.checkAll()).extracting(ComponentHealthView::name).containsExactly("bundle 5", "core");
    }

    @Test
    void checkBundleOnlyAsksThatBundlesIndicators() {
        registry.add(10, new HealthRegistry.Registration(indicator("core", Health::up), 5, "fusebox-core"));
        registry.add(11, new HealthRegistry.Registration(indicator("sim", Health::up), 7, "fusebox-simulator"));

        assertThat(registry.checkBundle(7)).extracting(ComponentHealthView::name).containsExactly("sim");
    }

    @Test
    void removedIndicatorsAreForgotten() {
        registry.add(10, new HealthRegistry.Registration(indicator("core", Health::up), 5, "fusebox-core"));
        registry.remove(10);

        assertThat(registry.checkAll()).isEmpty();
    }
}

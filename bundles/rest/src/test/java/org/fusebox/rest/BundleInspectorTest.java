package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fusebox.rest.FakeBundles.bundle;
import static org.fusebox.rest.FakeScr.configuration;

import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.rest.view.BundleView;
import org.fusebox.rest.view.BundleView.ComponentView;
import org.fusebox.rest.view.BundlesView;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

class BundleInspectorTest {

    private final FakeScr scr = new FakeScr();
    private final HealthRegistry health = new HealthRegistry();
    private final BundleInspector inspector = new BundleInspector(scr, health);

    private final Bundle framework = bundle(0, "org.apache.felix.framework", "7.0.5", Bundle.ACTIVE);
    private final Bundle core = bundle(42, "fusebox-core", "0.1.0.SNAPSHOT", Bundle.ACTIVE);
    private final Bundle api = bundle(41, "fusebox-api", "0.1.0.SNAPSHOT", Bundle.RESOLVED);

    @Test
    void listsOnlyFuseboxBundlesById() {
        BundlesView view = inspector.inspect(new Bundle[] { framework, core, api });

        assertThat(view.bundles()).extracting(BundleView::symbolicName).containsExactly("fusebox-api", "fusebox-core");
        BundleView apiView = view.bundles().get(0);
        assertThat(apiView.id()).isEqualTo(41);
        assertThat(apiView.version()).isEqualTo("0.1.0.SNAPSHOT");
        assertThat(apiView.state()).isEqualTo("RESOLVED");
        assertThat(apiView.components()).isEmpty();
    }

    @Test
    void showsEachComponentWithItsStateFailureAndMissingReferences() {
        scr.component(42, "org.fusebox.core.ControlLoopService", true,
                configuration(7, ComponentConfigurationDTO.ACTIVE, null));
        scr.component(42, "org.fusebox.core.Broken", true,
                configuration(8, ComponentConfigurationDTO.FAILED_ACTIVATION, "java.lang.IllegalStateException: no"));
        scr.component(42, "org.fusebox.core.Waiting", true,
                configuration(9, ComponentConfigurationDTO.UNSATISFIED_REFERENCE, null, "meter", "clock"));

        BundleView view = inspector.inspect(new Bundle[] { core }).bundles().get(0);

        assertThat(view.components()).extracting(ComponentView::name).containsExactly(
                "org.fusebox.core.Broken", "org.fusebox.core.ControlLoopService", "org.fusebox.core.Waiting");
        ComponentView broken = view.components().get(0);
        assertThat(broken.state()).isEqualTo("FAILED_ACTIVATION");
        assertThat(broken.failure()).isEqualTo("java.lang.IllegalStateException: no");
        assertThat(broken.id()).isEqualTo(8L);
        assertThat(view.components().get(1).state()).isEqualTo("ACTIVE");
        assertThat(view.components().get(1).failure()).isNull();
        assertThat(view.components().get(2).state()).isEqualTo("UNSATISFIED_REFERENCE");
        assertThat(view.components().get(2).unsatisfiedReferences()).containsExactly("meter", "clock");
    }

    @Test
    void disabledAndUnconfiguredComponentsShowOnce() {
        scr.component(42, "a.Disabled", false);
        scr.component(42, "b.NeedsFactoryConfig", true);

        BundleView view = inspector.inspect(new Bundle[] { core }).bundles().get(0);

        assertThat(view.components()).extracting(ComponentView::state)
                .containsExactly("DISABLED", "UNSATISFIED_CONFIGURATION");
        assertThat(view.components()).extracting(ComponentView::id).containsOnlyNulls();
    }

    @Test
    void aFactoryComponentShowsOneEntryPerConfiguration() {
        scr.component(42, "org.fusebox.sim.Meter", true,
                configuration(3, ComponentConfigurationDTO.ACTIVE, null),
                configuration(4, ComponentConfigurationDTO.SATISFIED, null));

        BundleView view = inspector.inspect(new Bundle[] { core }).bundles().get(0);

        assertThat(view.components()).extracting(ComponentView::state).containsExactly("ACTIVE", "SATISFIED");
    }

    @Test
    void showsTheHealthOfIndicatorsTheBundleRegistered() {
        health.add(1, new HealthRegistry.Registration(HealthRegistryTest.indicator("core", () -> Health.down("no meter")),
                42, "fusebox-core"));
        health.add(2, new HealthRegistry.Registration(HealthRegistryTest.indicator("other", Health::up), 41, "fusebox-api"));

        BundleView view = inspector.inspect(new Bundle[] { core }).bundles().get(0);

        assertThat(view.health()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("core");
            assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(h.details()).containsExactly("no meter");
        });
    }

    @Test
    void stateNamesCoverEveryBundleAndComponentState() {
        assertThat(BundleInspector.stateName(Bundle.INSTALLED)).isEqualTo("INSTALLED");
        assertThat(BundleInspector.stateName(Bundle.STARTING)).isEqualTo("STARTING");
        assertThat(BundleInspector.stateName(Bundle.STOPPING)).isEqualTo("STOPPING");
        assertThat(BundleInspector.stateName(Bundle.UNINSTALLED)).isEqualTo("UNINSTALLED");
        assertThat(ComponentStates.stateName(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION))
                .isEqualTo("UNSATISFIED_CONFIGURATION");
        assertThat(ComponentStates.stateName(ComponentConfigurationDTO.SATISFIED)).isEqualTo("SATISFIED");
        assertThat(ComponentStates.stateName(99)).isEqualTo("UNKNOWN(99)");
    }
}

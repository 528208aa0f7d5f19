package org.fusebox.rest;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fusebox.rest.view.BundleView;
import org.fusebox.rest.view.BundleView.ComponentView;
import org.fusebox.rest.view.BundlesView;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Describes the Fusebox bundles: their state, their DS components and their health indicators. */
final class BundleInspector {

    static final String PREFIX = "fusebox";

    private final ServiceComponentRuntime scr;
    private final HealthRegistry health;

    BundleInspector(ServiceComponentRuntime scr, HealthRegistry health) {
        this.scr = scr;
        this.health = health;
    }

    BundlesView inspect(Bundle[] bundles) {
        List<BundleView> views = Arrays.stream(bundles)
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith(PREFIX))
                .sorted(Comparator.comparingLong(Bundle::getBundleId))
                .map(this::describe)
                .toList();
        return new BundlesView(views);
    }

    private BundleView describe(Bundle bundle) {
        List<ComponentView> components = scr.getComponentDescriptionDTOs(bundle).stream()
                .sorted(Comparator.comparing((ComponentDescriptionDTO d) -> d.name))
                .flatMap(d -> ComponentStates.of(d, scr.isComponentEnabled(d), scr.getComponentConfigurationDTOs(d)).stream())
                .toList();
        return new BundleView(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                stateName(bundle.getState()), components, health.checkBundle(bundle.getBundleId()));
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN(" + state + ")";
        };
    }
}

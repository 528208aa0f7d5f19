package org.fusebox.rest.view;

import java.util.List;

/**
 * One Fusebox bundle, its Declarative Services components and its health indicators.
 *
 * @param id           bundle id
 * @param symbolicName symbolic name
 * @param version      bundle version
 * @param state        INSTALLED, RESOLVED, STARTING, STOPPING, ACTIVE or UNINSTALLED
 * @param components   one entry per component configuration (one per component when it has none)
 * @param health       the health indicators this bundle registered, worst first
 */
public record BundleView(long id, String symbolicName, String version, String state, List<ComponentView> components,
        List<ComponentHealthView> health) {

    /**
     * @param name                  component name
     * @param id                    the configuration's component.id, or null when there is no configuration
     * @param state                 ACTIVE, SATISFIED, UNSATISFIED_REFERENCE, UNSATISFIED_CONFIGURATION,
     *                              FAILED_ACTIVATION, or DISABLED
     * @param failure               why activation failed, or null
     * @param unsatisfiedReferences names of the references that keep it from being satisfied
     */
    public record ComponentView(String name, Long id, String state, String failure, List<String> unsatisfiedReferences) {
    }
}

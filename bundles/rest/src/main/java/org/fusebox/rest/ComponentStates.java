package org.fusebox.rest;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.fusebox.rest.view.BundleView.ComponentView;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** Turns the Service Component Runtime's DTOs into component views. */
final class ComponentStates {

    static final String DISABLED = "DISABLED";

    private ComponentStates() {
    }

    /**
     * One view per configuration. A component without configurations shows once: DISABLED when it is
     * disabled, else UNSATISFIED_CONFIGURATION (it waits for a factory configuration that does not exist).
     */
    static List<ComponentView> of(ComponentDescriptionDTO description, boolean enabled,
            Collection<ComponentConfigurationDTO> configurations) {
        if (!enabled) {
            return List.of(new ComponentView(description.name, null, DISABLED, null, List.of()));
        }
        if (configurations.isEmpty()) {
            return List.of(new ComponentView(description.name, null, stateName(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION),
                    null, List.of()));
        }
        return configurations.stream().map(c -> new ComponentView(description.name, c.id, stateName(c.state),
                c.failure, unsatisfiedReferences(c))).toList();
    }

    static String stateName(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "UNKNOWN(" + state + ")";
        };
    }

    private static List<String> unsatisfiedReferences(ComponentConfigurationDTO c) {
        if (c.unsatisfiedReferences == null) {
            return List.of();
        }
        return Arrays.stream(c.unsatisfiedReferences).map((UnsatisfiedReferenceDTO u) -> u.name).toList();
    }
}

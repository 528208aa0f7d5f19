package org.fusebox.rest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.promise.Promise;

/** A Service Component Runtime that answers from hand-built DTOs. */
final class FakeScr implements ServiceComponentRuntime {

    private final Map<Long, List<ComponentDescriptionDTO>> byBundle = new HashMap<>();
    private final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> configurations = new HashMap<>();
    private final Set<ComponentDescriptionDTO> disabled = new HashSet<>();

    ComponentDescriptionDTO component(long bundleId, String name, boolean enabled, ComponentConfigurationDTO... configs) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        byBundle.computeIfAbsent(bundleId, id -> new ArrayList<>()).add(d);
        configurations.put(d, List.of(configs));
        if (!enabled) {
            disabled.add(d);
        }
        return d;
    }

    static ComponentConfigurationDTO configuration(long id, int state, String failure, String... unsatisfied) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.id = id;
        c.state = state;
        c.failure = failure;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[unsatisfied.length];
        for (int i = 0; i < unsatisfied.length; i++) {
            c.unsatisfiedReferences[i] = new UnsatisfiedReferenceDTO();
            c.unsatisfiedReferences[i].name = unsatisfied[i];
        }
        return c;
    }

    @Override
    public Collection<ComponentDescriptionDTO> getComponentDescriptionDTOs(Bundle... bundles) {
        List<ComponentDescriptionDTO> all = new ArrayList<>();
        for (Bundle b : bundles) {
            all.addAll(byBundle.getOrDefault(b.getBundleId(), List.of()));
        }
        return all;
    }

    @Override
    public ComponentDescriptionDTO getComponentDescriptionDTO(Bundle bundle, String name) {
        return getComponentDescriptionDTOs(bundle).stream().filter(d -> d.name.equals(name)).findFirst().orElse(null);
    }

    @Override
    public Collection<ComponentConfigurationDTO> getComponentConfigurationDTOs(ComponentDescriptionDTO description) {
        return configurations.getOrDefault(description, List.of());
    }

    @Override
    public boolean isComponentEnabled(ComponentDescriptionDTO description) {
        return !disabled.contains(description);
    }

    @Override
    public Promise<Void> enableComponent(ComponentDescriptionDTO description) {
        throw new UnsupportedOperationException("read-only fake");
    }

    @Override
    public Promise<Void> disableComponent(ComponentDescriptionDTO description) {
        throw new UnsupportedOperationException("read-only fake");
    }
}

package org.fusebox.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Finds the Metatype definition of a configuration in whichever installed bundle designates its PID. */
final class MetatypeLookup {

    /** The definitions found in one pass over the bundles, for checking a whole set of changes at once. */
    interface Definitions {
        Optional<ObjectClassDefinition> of(String pid, String factoryPid);

        /** Every PID and factory PID defined. */
        default Set<String> pids() {
            return Set.of();
        }
    }

    private final BundleContext context;
    private final MetaTypeService metaTypes;

    MetatypeLookup(BundleContext context, MetaTypeService metaTypes) {
        this.context = context;
        this.metaTypes = metaTypes;
    }

    Optional<ObjectClassDefinition> definitionOf(String pid, String factoryPid) {
        return load().of(pid, factoryPid);
    }

    Definitions load() {
        Map<String, ObjectClassDefinition> byPid = new HashMap<>();
        Map<String, ObjectClassDefinition> byFactoryPid = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = metaTypes.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            collect(info, info.getPids(), byPid);
            collect(info, info.getFactoryPids(), byFactoryPid);
        }
        Set<String> all = new TreeSet<>(byPid.keySet());
        all.addAll(byFactoryPid.keySet());
        return new Definitions() {
            @Override
            public Optional<ObjectClassDefinition> of(String pid, String factoryPid) {
                return Optional.ofNullable(factoryPid != null ? byFactoryPid.get(factoryPid) : byPid.get(pid));
            }

            @Override
            public Set<String> pids() {
                return all;
            }
        };
    }

    private static void collect(MetaTypeInformation info, String[] pids, Map<String, ObjectClassDefinition> into) {
        if (pids == null) {
            return;
        }
        for (String pid : pids) {
            if (!into.containsKey(pid)) {
                try {
                    ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
                    if (ocd != null) {
                        into.put(pid, ocd);
                    }
                } catch (IllegalArgumentException e) {
                    // the bundle lists the PID but cannot give its definition: as if it had none
                }
            }
        }
    }
}

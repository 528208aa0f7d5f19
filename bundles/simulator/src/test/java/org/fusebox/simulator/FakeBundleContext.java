package org.fusebox.simulator;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Just enough of a BundleContext to watch registrations come and go: it records each registration and
 * refuses a second unregister, as a framework does.
 */
final class FakeBundleContext {

    /** One registered service. */
    static final class Registered {
        final String objectClass;
        final Object service;
        final Map<String, Object> properties;
        boolean unregistered;

        Registered(String objectClass, Object service, Map<String, Object> properties) {
            this.objectClass = objectClass;
            this.service = service;
            this.properties = properties;
        }
    }

    private final List<Registered> all = Collections.synchronizedList(new ArrayList<>());
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] { BundleContext.class }, (proxy, method, args) -> {
                if (method.getName().equals("registerService")) {
                    return register(args);
                }
                if (method.getName().equals("toString")) {
                    return "FakeBundleContext";
                }
                throw new UnsupportedOperationException(method.getName());
            });

    BundleContext context() {
        return context;
    }

    private ServiceRegistration<?> register(Object[] args) {
        String name = args[0] instanceof Class<?> c ? c.getName()
                : args[0] instanceof String s ? s : ((String[]) args[0])[0];
        Map<String, Object> props = new HashMap<>();
        @SuppressWarnings("unchecked")
        Dictionary<String, Object> dict = (Dictionary<String, Object>) args[2];
        if (dict != null) {
            for (String key : Collections.list(dict.keys())) {
                props.put(key, dict.get(key));
            }
        }
        Registered r = new Registered(name, args[1], props);
        all.add(r);
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { ServiceRegistration.class }, (proxy, method, a) -> {
                    if (method.getName().equals("unregister")) {
                        if (r.unregistered) {
                            throw new IllegalStateException("already unregistered");
                        }
                        r.unregistered = true;
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Services registered now. */
    List<Registered> live() {
        synchronized (all) {
            return all.stream().filter(r -> !r.unregistered).toList();
        }
    }

    List<Registered> everRegistered() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    <T> List<T> live(Class<T> type) {
        return live().stream().filter(r -> r.objectClass.equals(type.getName())).map(r -> type.cast(r.service)).toList();
    }

    Optional<Registered> liveWith(String key, Object value) {
        return live().stream().filter(r -> value.equals(r.properties.get(key))).findFirst();
    }
}

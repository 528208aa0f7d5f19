package org.fusebox.driver.modbus.device;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Just enough of a BundleContext to record service registrations; other calls fail loudly. */
final class RecordingBundleContext {

    record Registration(String className, Object service, Dictionary<String, ?> properties) {
    }

    final List<Registration> live = new CopyOnWriteArrayList<>();
    final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("registerService") && args[0] instanceof String name) {
                    @SuppressWarnings("unchecked")
                    Registration r = new Registration(name, args[1], (Dictionary<String, ?>) args[2]);
                    live.add(r);
                    return registration(r);
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private ServiceRegistration<?> registration(Registration r) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        if (!live.remove(r)) {
                            throw new IllegalStateException("already unregistered");
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}

package org.fusebox.driver.ocpp;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Builds a config annotation instance the way DS would: given values, else the annotation's defaults. */
final class Configs {

    private Configs() {
    }

    /** Loopback tests run on a closed network: security profile 0 unless a test asks for another. */
    static OcppConfig of(Map<String, Object> values) {
        Map<String, Object> v = new HashMap<>(values);
        v.putIfAbsent("securityProfile", 0);
        return withDefaults(v);
    }

    /** Exactly the given values, the annotation's defaults for the rest. */
    static OcppConfig withDefaults(Map<String, Object> values) {
        Map<String, Object> copy = new HashMap<>(values);
        return (OcppConfig) Proxy.newProxyInstance(Configs.class.getClassLoader(), new Class<?>[] {OcppConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return OcppConfig.class;
                    }
                    if (method.getName().equals("toString")) {
                        return "OcppConfig";
                    }
                    if (copy.containsKey(method.getName())) {
                        return copy.get(method.getName());
                    }
                    return method.getDefaultValue();
                });
    }

    static OcppSettings settings(Map<String, Object> values) {
        Map<String, Object> v = new HashMap<>(values);
        v.putIfAbsent("port", 0);
        v.putIfAbsent("bindHost", "127.0.0.1");
        try {
            return OcppSettings.from(of(v));
        } catch (OcppSettings.InvalidConfigurationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}

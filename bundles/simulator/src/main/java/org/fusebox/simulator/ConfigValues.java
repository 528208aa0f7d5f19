package org.fusebox.simulator;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Instances of a configuration annotation without Config Admin: every attribute takes its declared default
 * unless an override names it. Used for the built-in defaults, and by tests to write configurations.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static <A extends Annotation> A defaults(Class<A> type) {
        return of(type, Map.of());
    }

    /**
     * @param overrides attribute name to value, each value already of the attribute's Java type
     */
    static <A extends Annotation> A of(Class<A> type, Map<String, ?> overrides) {
        for (String key : overrides.keySet()) {
            try {
                type.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no attribute " + key, e);
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (self, method, args) -> answer(type, overrides, self, method, args));
        return type.cast(proxy);
    }

    private static Object answer(Class<?> type, Map<String, ?> overrides, Object self, Method method, Object[] args) {
        switch (method.getName()) {
            case "annotationType":
                return type;
            case "hashCode":
                return System.identityHashCode(self);
            case "equals":
                return self == args[0];
            case "toString":
                return type.getSimpleName() + overrides;
            default:
                Object value = overrides.get(method.getName());
                return value != null ? value : method.getDefaultValue();
        }
    }
}

package org.fusebox.optimiser.battery;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation instance: the declared defaults, with some values replaced, as DS would build it. */
final class Configs {

    private Configs() {
    }

    static <A> A of(Class<A> type, Map<String, Object> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> type.getSimpleName() + values;
                };
            }
            return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
        });
        return type.cast(proxy);
    }
}

package org.fusebox.tariff;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A TariffConfig as Config Admin would hand it over: the given values, the Metatype defaults for the rest. */
final class Configs {

    private Configs() {
    }

    static TariffConfig tariff(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (TariffConfig) Proxy.newProxyInstance(TariffConfig.class.getClassLoader(), new Class<?>[] { TariffConfig.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> TariffConfig.class;
                    case "toString" -> "TariffConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    static TariffCalculator calculator(Object... keyValues) {
        return new TariffCalculator(TariffSettings.from(tariff(keyValues)));
    }
}

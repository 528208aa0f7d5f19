package org.fusebox.driver.modbus.device;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Builds a config annotation instance the way DS would: given values, else the annotation's defaults. */
final class Configs {

    private Configs() {
    }

    static ModbusDeviceConfig of(Map<String, Object> values) {
        Map<String, Object> copy = new HashMap<>(values);
        return (ModbusDeviceConfig) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] {ModbusDeviceConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return ModbusDeviceConfig.class;
                    }
                    if (method.getName().equals("toString")) {
                        return copy.toString();
                    }
                    if (copy.containsKey(method.getName())) {
                        return copy.get(method.getName());
                    }
                    return method.getDefaultValue();
                });
    }
}

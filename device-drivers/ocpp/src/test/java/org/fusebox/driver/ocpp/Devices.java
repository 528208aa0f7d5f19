package org.fusebox.driver.ocpp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.device.EvCharger;

/** Stands in for the service registry: records what the engine registers and unregisters. */
final class Devices implements CentralSystemEngine.DeviceRegistrar {

    final Map<String, EvCharger> registered = new ConcurrentHashMap<>();
    final List<String> unregistered = new CopyOnWriteArrayList<>();

    @Override
    public Runnable register(EvCharger device) {
        registered.put(device.id(), device);
        return () -> {
            registered.remove(device.id(), device);
            unregistered.add(device.id());
        };
    }

    EvCharger awaitCharger(String id) {
        Wait.until("charger " + id + " registered", () -> registered.containsKey(id));
        return registered.get(id);
    }
}

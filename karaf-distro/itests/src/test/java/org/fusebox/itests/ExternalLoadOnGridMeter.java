package org.fusebox.itests;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleConsumer;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Puts what the external (peer) EVs draw on the simulated grid meter, through the simulator's external
 * load (PID {@value #PID}): the sum of every three-phase draw, on each phase, updated whenever one changes.
 */
final class ExternalLoadOnGridMeter {

    static final String PID = "fusebox.simulator.externalload";

    private final Configuration config;
    private final Map<String, Double> draws = new ConcurrentHashMap<>();

    ExternalLoadOnGridMeter(ConfigurationAdmin cm) throws IOException {
        this.config = cm.getConfiguration(PID, null);
        publish();
    }

    /** The sink of one EV's three-phase draw. */
    DoubleConsumer of(String chargePoint) {
        return amps -> {
            draws.put(chargePoint, amps);
            publish();
        };
    }

    double total() {
        return draws.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private synchronized void publish() {
        String amps = String.format(Locale.ROOT, "%.3f", total());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("l1Amps", amps);
        props.put("l2Amps", amps);
        props.put("l3Amps", amps);
        try {
            config.update(props);
        } catch (IOException e) {
            throw new IllegalStateException("the external load could not be set to " + amps + " A", e);
        }
    }
}

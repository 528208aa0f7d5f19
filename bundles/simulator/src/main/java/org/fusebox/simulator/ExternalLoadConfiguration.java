package org.fusebox.simulator;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import org.fusebox.simulator.model.ExternalLoad;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PID {@value #PID}: the currents of a load behind the simulated grid meter that the simulation does not
 * model, keys {@code l1Amps}, {@code l2Amps}, {@code l3Amps} (signed, import positive, default 0). It lets
 * a test put the draw of a real or external charge point (one the simulator does not run) on the grid
 * meter, so the meter tells the truth about the whole site. Changing it never rebuilds the site; deleting
 * the configuration sets the load to 0. A value that is not a number, or beyond {@value #MAX_AMPS} A, is
 * refused (logged) and the load keeps what it had.
 */
final class ExternalLoadConfiguration implements ManagedService {

    static final String PID = "fusebox.simulator.externalload";
    static final double MAX_AMPS = 4000;

    private static final Logger LOG = LoggerFactory.getLogger(ExternalLoadConfiguration.class);
    private static final String[] KEYS = {"l1Amps", "l2Amps", "l3Amps"};

    private final ExternalLoad load;

    ExternalLoadConfiguration(ExternalLoad load) {
        this.load = load;
    }

    static ServiceRegistration<ManagedService> register(BundleContext context, ExternalLoad load) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_PID, PID);
        props.put(Constants.SERVICE_DESCRIPTION, "Fusebox simulator: an external load behind the grid meter");
        return context.registerService(ManagedService.class, new ExternalLoadConfiguration(load), props);
    }

    @Override
    public void updated(Dictionary<String, ?> properties) throws ConfigurationException {
        if (properties == null) {
            load.set(0, 0, 0);
            return;
        }
        double[] amps = new double[3];
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < KEYS.length; i++) {
            Object value = properties.get(KEYS[i]);
            try {
                amps[i] = value == null ? 0 : Double.parseDouble(value.toString().trim());
                if (!Double.isFinite(amps[i]) || Math.abs(amps[i]) > MAX_AMPS) {
                    problems.add(KEYS[i] + " must be within -" + MAX_AMPS + " .. " + MAX_AMPS + " A, got " + value);
                }
            } catch (NumberFormatException e) {
                problems.add(KEYS[i] + " must be a number of amps, got '" + value + "'");
            }
        }
        if (!problems.isEmpty()) {
            String reason = String.join("; ", problems);
            LOG.error("Configuration {} refused, the external load keeps its currents: {}", PID, reason);
            throw new ConfigurationException(null, reason);
        }
        load.set(amps[0], amps[1], amps[2]);
        LOG.debug("External load behind the grid meter: {}", String.format(Locale.ROOT, "%.1f / %.1f / %.1f A", amps[0], amps[1], amps[2]));
    }
}

package org.fusebox.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import org.fusebox.simulator.model.GridFrequency;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PID {@value #PID}: the frequency of the grid behind the simulated meter, what the grid meter (in process,
 * or over Modbus in SunSpec 203's {@code Hz}) reports. Keys: {@code frequencyHz} (default 50.00) and an
 * optional recurring event for demos, off by default: {@code eventFrequencyHz} (default 49.70) for
 * {@code eventSeconds} (default 10) at the start of every {@code eventEveryMinutes} (0, the default: no event)
 * of simulated time. Changing it never rebuilds the site; deleting the configuration brings back a steady
 * 50.00 Hz. A configuration with a value that is not a number or out of range is refused as a whole (logged,
 * every reason named) and the frequency stays as it was.
 */
final class GridFrequencyConfiguration implements ManagedService {

    static final String PID = "fusebox.simulator.gridfrequency";
    static final double MIN_HZ = 45;
    static final double MAX_HZ = 65;

    private static final Logger LOG = LoggerFactory.getLogger(GridFrequencyConfiguration.class);

    private final GridFrequency frequency;

    GridFrequencyConfiguration(GridFrequency frequency) {
        this.frequency = frequency;
    }

    static ServiceRegistration<ManagedService> register(BundleContext context, GridFrequency frequency) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_PID, PID);
        props.put(Constants.SERVICE_DESCRIPTION, "Fusebox simulator: the frequency of the grid behind the meter");
        return context.registerService(ManagedService.class, new GridFrequencyConfiguration(frequency), props);
    }

    @Override
    public void updated(Dictionary<String, ?> properties) throws ConfigurationException {
        if (properties == null) {
            frequency.set(GridFrequency.NOMINAL_HZ);
            return;
        }
        List<String> problems = new ArrayList<>();
        double hz = number(properties, "frequencyHz", GridFrequency.NOMINAL_HZ, MIN_HZ, MAX_HZ, problems);
        double eventHz = number(properties, "eventFrequencyHz", 49.7, MIN_HZ, MAX_HZ, problems);
        double seconds = number(properties, "eventSeconds", 10, 1, 3600, problems);
        double everyMinutes = number(properties, "eventEveryMinutes", 0, 0, 1440, problems);
        if (problems.isEmpty() && everyMinutes > 0 && seconds >= everyMinutes * 60) {
            problems.add("eventSeconds must be shorter than eventEveryMinutes, got " + fmt(seconds) + " s every "
                    + fmt(everyMinutes) + " min");
        }
        if (!problems.isEmpty()) {
            String reason = String.join("; ", problems);
            LOG.error("Configuration {} refused, the grid frequency stays as it was: {}", PID, reason);
            throw new ConfigurationException(null, reason);
        }
        GridFrequency.Event event = everyMinutes > 0 ? new GridFrequency.Event(eventHz,
                Duration.ofMillis(Math.round(seconds * 1000)), Duration.ofMillis(Math.round(everyMinutes * 60_000))) : null;
        frequency.set(hz, event);
        LOG.info("Simulated grid frequency {} Hz{}", fmt(hz), event == null ? ""
                : String.format(Locale.ROOT, ", %s Hz for %s s every %s min", fmt(eventHz), fmt(seconds), fmt(everyMinutes)));
    }

    private static double number(Dictionary<String, ?> properties, String key, double absent, double min, double max,
            List<String> problems) {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return absent;
        }
        try {
            double d = Double.parseDouble(value.toString().trim());
            if (!(d >= min && d <= max)) {
                problems.add(key + " must be within " + fmt(min) + " .. " + fmt(max) + ", got " + value);
            }
            return d;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a number, got '" + value + "'");
            return absent;
        }
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d).replaceAll("\\.?0+$", "");
    }
}

package org.fusebox.driver.modbus.device;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.metrics.Measurement;
import org.fusebox.api.metrics.MetricsSource;
import org.fusebox.driver.modbus.RequestCounters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured Modbus TCP device. It registers the role service itself rather than through DS, so that
 * a refused configuration can leave the device running on the previous one (or register nothing at all on
 * the first activation) while the health indicator says why.
 */
@Component(name = ModbusDeviceComponent.PID, configurationPid = ModbusDeviceComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { HealthIndicator.class, MetricsSource.class })
@Designate(ocd = ModbusDeviceConfig.class, factory = true)
public final class ModbusDeviceComponent implements HealthIndicator, MetricsSource {

    public static final String PID = "fusebox.driver.modbus";

    private static final Logger LOG = LoggerFactory.getLogger(ModbusDeviceComponent.class);

    private final Clock clock;
    private BundleContext context;
    private String name = "modbus";
    private volatile String refusal;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;
    private volatile ModbusDevice device;
    /** The device's request counters; they go on across reconfigurations and start again when the id changes. */
    private volatile RequestCounters counters = new RequestCounters();
    private ServiceRegistration<?> registration;

    public ModbusDeviceComponent() {
        this(Clock.systemUTC());
    }

    ModbusDeviceComponent(Clock clock) {
        this.clock = clock;
    }

    @Activate
    synchronized void activate(BundleContext bundleContext, ModbusDeviceConfig config) {
        context = bundleContext;
        apply(config, "nothing is registered");
    }

    @Modified
    synchronized void modified(ModbusDeviceConfig config) {
        apply(config, "the previous configuration is kept");
    }

    @Deactivate
    synchronized void deactivate() {
        ModbusDevice d = device;
        device = null;
        if (d != null) {
            d.poller().stop();
        }
        unregister();
    }

    private void apply(ModbusDeviceConfig config, String keptInstead) {
        DeviceSettings settings;
        try {
            settings = DeviceSettings.from(config);
        } catch (DeviceSettings.InvalidConfigurationException e) {
            String message = "configuration " + PID + " for device '" + config.id() + "' refused, " + keptInstead
                    + ": " + e.getMessage();
            LOG.error("{}", message);
            refusal = message;
            return;
        }
        refusal = null;
        name = "modbus." + settings.id();
        ModbusDevice current = device;
        if (current != null) {
            current.poller().stop();
        }
        // the service is bound to an id and a role; anything else changes behind the same registration (a
        // battery's ratings and a PV's rated power are read through the poller, so they may change too)
        boolean sameService = current != null && current.id().equals(settings.id())
                && current.roleInterface() == ModbusDevice.forRole(settings).roleInterface()
                && !(current instanceof ModbusDevice.Pv pv && pv.ratedPower().watts() != settings.ratedPowerWatts());
        ModbusDevice next = sameService ? current : ModbusDevice.forRole(settings);
        String deviceId = settings.id();
        if (current != null && !current.id().equals(deviceId)) {
            counters = new RequestCounters();
        }
        DevicePoller poller = new DevicePoller(settings, clock, next::notifyListeners,
                (before, after) -> postLayoutChange(deviceId, before, after), counters);
        next.use(poller);
        if (!sameService) {
            unregister();
            device = next;
            register(next);
        }
        poller.start();
        LOG.info("Modbus device {}", settings);
    }

    /** Tells listeners (a cloud link, an operator's log) that a device was bound again to a new layout. */
    private void postLayoutChange(String deviceId, String before, String after) {
        EventAdmin events = eventAdmin;
        if (events != null) {
            events.postEvent(new Event(FuseboxEvents.DEVICE_LAYOUT_CHANGED,
                    Map.of(FuseboxEvents.DEVICE, deviceId, FuseboxEvents.OLD, before, FuseboxEvents.NEW, after)));
        }
    }

    private void register(ModbusDevice d) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Device.DEVICE_ID_PROPERTY, d.id());
        registration = context.registerService(d.roleInterface().getName(), d, props);
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
            registration = null;
        }
    }

    /** The role service, for tests in this package. */
    ModbusDevice device() {
        return device;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Health health() {
        List<String> details = new ArrayList<>();
        HealthStatus status = HealthStatus.UP;
        String refused = refusal;
        if (refused != null) {
            status = HealthStatus.DEGRADED;
            details.add(refused);
        }
        ModbusDevice d = device;
        if (d == null) {
            return new Health(HealthStatus.DEGRADED, details.isEmpty() ? List.of("no device configured") : details);
        }
        DeviceStatus s = d.status();
        if (!s.isOnline()) {
            status = HealthStatus.DEGRADED;
            details.add(d.id() + " " + s.state() + " since " + s.since() + ": " + s.reason());
        }
        return new Health(status, details);
    }

    // ---- MetricsSource: the device's requests, answered from its counters ----

    @Override
    public String component() {
        return "modbus";
    }

    @Override
    public List<Measurement> measurements() {
        ModbusDevice d = device;
        if (d == null) {
            return List.of();
        }
        RequestCounters c = counters;
        Map<String, String> device = Map.of("device", d.id());
        List<Measurement> out = new ArrayList<>();
        out.add(Measurement.counter("requests_total", "Modbus requests sent to the device, reads and writes", device,
                c.requests()));
        for (RequestCounters.Failure f : RequestCounters.Failure.values()) {
            out.add(Measurement.counter("requests_failed_total", "Modbus requests that failed, by reason",
                    Map.of("device", d.id(), "reason", f.label()), c.failures(f)));
        }
        out.add(Measurement.counter("reconnects_total", "Connections to the device made again after the first", device,
                c.reconnects()));
        out.add(Measurement.counter("connect_failures_total", "Attempts to connect to the device that failed", device,
                c.connectFailures()));
        out.add(Measurement.gauge("connected", "1 while the driver holds a connection to the device", device,
                c.isConnected() ? 1 : 0));
        double poll = c.lastPollSeconds();
        if (!Double.isNaN(poll)) {
            out.add(Measurement.gauge("last_poll_duration_seconds", "How long the device's last poll took, successful or not",
                    device, poll));
        }
        return out;
    }
}

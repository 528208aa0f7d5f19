package org.fusebox.driver.modbus.device;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.device.ReadingListener;
import org.fusebox.api.units.Power;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered role service. It outlives a poller, so a changed configuration swaps the poller behind
 * the same service and consumers keep their reference and their listeners.
 */
abstract class ModbusDevice implements Device {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusDevice.class);

    private final String id;
    private final List<ReadingListener> listeners = new CopyOnWriteArrayList<>();
    private volatile DevicePoller poller;

    ModbusDevice(String id) {
        this.id = id;
    }

    static ModbusDevice forRole(DeviceSettings settings) {
        return switch (settings.role()) {
            case GRID_METER -> new Meter(settings.id());
            case PV_INVERTER -> new Pv(settings.id(), Power.ofWatts(settings.ratedPowerWatts()));
            case BATTERY -> new Storage(settings.id());
        };
    }

    abstract Class<? extends Device> roleInterface();

    void use(DevicePoller next) {
        poller = next;
    }

    DevicePoller poller() {
        return poller;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public DeviceStatus status() {
        return poller.status();
    }

    @Override
    public void addReadingListener(ReadingListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeReadingListener(ReadingListener listener) {
        listeners.remove(listener);
    }

    /** One listener that throws must not keep the others from hearing about the reading. */
    void notifyListeners() {
        for (ReadingListener l : listeners) {
            try {
                l.readingUpdated(this);
            } catch (RuntimeException e) {
                LOG.warn("{}: reading listener {} failed: {}", id, l, e.toString());
            }
        }
    }

    static final class Meter extends ModbusDevice implements GridMeter {
        Meter(String id) {
            super(id);
        }

        @Override
        Class<? extends Device> roleInterface() {
            return GridMeter.class;
        }

        @Override
        public Optional<MeterReading> reading() {
            return Optional.ofNullable(poller().latest(MeterReading.class));
        }
    }

    static final class Pv extends ModbusDevice implements PvInverter {
        private final Power rated;

        Pv(String id, Power rated) {
            super(id);
            this.rated = rated;
        }

        @Override
        Class<? extends Device> roleInterface() {
            return PvInverter.class;
        }

        @Override
        public Power ratedPower() {
            return rated;
        }

        @Override
        public Optional<PvReading> reading() {
            return Optional.ofNullable(poller().latest(PvReading.class));
        }

        @Override
        public boolean supportsCurtailment() {
            return poller().canWrite();
        }

        @Override
        public CompletionStage<WriteResult> limitOutput(Power maxOutput) {
            if (maxOutput == null || !Double.isFinite(maxOutput.watts()) || maxOutput.isNegative()) {
                return CompletableFuture.completedFuture(WriteResult.rejected(
                        "an output cap of 0 W or more is required, got " + maxOutput));
            }
            return poller().write(maxOutput.watts());
        }
    }

    static final class Storage extends ModbusDevice implements Battery {
        Storage(String id) {
            super(id);
        }

        @Override
        Class<? extends Device> roleInterface() {
            return Battery.class;
        }

        @Override
        public BatteryRatings ratings() {
            return poller().ratings();
        }

        @Override
        public Optional<BatteryReading> reading() {
            return Optional.ofNullable(poller().latest(BatteryReading.class));
        }

        @Override
        public CompletionStage<WriteResult> setPower(Power power) {
            if (power == null || !Double.isFinite(power.watts())) {
                return CompletableFuture.completedFuture(WriteResult.rejected("a finite power is required, got "
                        + power));
            }
            return poller().write(power.watts());
        }
    }
}

package org.fusebox.driver.modbus.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.driver.modbus.ModbusTransport;
import org.fusebox.driver.modbus.map.ReadPlanner;
import org.fusebox.driver.modbus.rtu.ModbusRtuSettings;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.map.RegisterMapReader;
import org.fusebox.driver.modbus.tcp.ModbusTcpSettings;

/**
 * A checked device configuration.
 *
 * @param id              device id
 * @param role            the role it plays
 * @param transport       where the device is: TCP or a serial line
 * @param pollMillis      poll period
 * @param slowPollEvery   slow points are read every this many polls
 * @param map             the register map, or {@code null} when it is discovered by SunSpec
 * @param mapSource       the configured map value, for logs
 * @param ratedPowerWatts PV nameplate power; 0 for other roles
 * @param ratings         the battery's ratings; {@code null} for other roles
 * @param validity        how long readings stay usable, back-off and rescans
 * @param controls        what SunSpec setpoints are written with
 */
public record DeviceSettings(String id, Role role, ModbusTransport transport, long pollMillis, int slowPollEvery,
        RegisterMap map, String mapSource, double ratedPowerWatts, BatteryRatings ratings, Validity validity,
        DeviceProfile.Controls controls) {

    /** A stale reading is handed out for this many poll periods unless configured (or longer, see below). */
    public static final int STALE_POLLS = 3;

    /**
     * The default stale bound: three poll periods, or one poll period and two timeouts when that is longer,
     * so that one request that times out and the immediate retry fit inside it.
     */
    static long defaultStaleMillis(long pollMillis, long timeoutMillis) {
        return Math.max(STALE_POLLS * pollMillis, pollMillis + 2 * timeoutMillis);
    }

    /**
     * @param staleMillis      the last good reading is handed out, marked stale, while it is younger than this
     * @param maxBackoffMillis the longest wait between attempts to reach a device that does not answer
     * @param rescanMillis     SunSpec identity and model chain are read again this often (and on every
     *                         reconnect); 0: on reconnects only
     */
    public record Validity(long staleMillis, long maxBackoffMillis, long rescanMillis) {
    }

    /** Settings with the default validity and controls, for tests. */
    public DeviceSettings(String id, Role role, ModbusTransport transport, long pollMillis, int slowPollEvery,
            RegisterMap map, String mapSource, double ratedPowerWatts, BatteryRatings ratings) {
        this(id, role, transport, pollMillis, slowPollEvery, map, mapSource, ratedPowerWatts, ratings,
                new Validity(defaultStaleMillis(pollMillis, transport.timeoutMillis()), 5_000, 600_000), new DeviceProfile.Controls(15, true,
                        ratings == null ? 0 : ratings.maxDischargePower().watts()));
    }

    public static final String SUNSPEC = "sunspec";
    public static final String BUILTIN = "builtin:";
    public static final String TCP = "tcp";
    public static final String RTU = "rtu";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

    public boolean sunspec() {
        return map == null;
    }

    /** @throws InvalidConfigurationException naming every bad value, not just the first */
    public static DeviceSettings from(ModbusDeviceConfig c) {
        List<String> problems = new ArrayList<>();
        String id = c.id() == null ? "" : c.id().trim();
        if (!ID.matcher(id).matches()) {
            problems.add("id '" + id + "' must be letters, digits, '.', '_' or '-' and not empty");
        }
        Role role = null;
        try {
            role = Role.valueOf(String.valueOf(c.role()).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("role '" + c.role() + "' is not one of " + List.of(Role.values()));
        }
        String transportName = String.valueOf(c.transport()).trim().toLowerCase(Locale.ROOT);
        String host = c.host() == null ? "" : c.host().trim();
        ModbusRtuSettings.Parity parity = null;
        if (transportName.equals(TCP)) {
            if (host.isEmpty()) {
                problems.add("host is empty");
            }
            if (c.port() < 1 || c.port() > 65535) {
                problems.add("port " + c.port() + " is outside 1..65535");
            }
            if (c.unitId() < 0 || c.unitId() > 255) {
                problems.add("unitId " + c.unitId() + " is outside 0..255");
            }
            if (c.timeoutMillis() < 1 || c.timeoutMillis() > 60_000) {
                problems.add("timeoutMillis " + c.timeoutMillis() + " is outside 1..60000");
            }
            if (c.maxRegistersPerRead() < 1 || c.maxRegistersPerRead() > ReadPlanner.MAX_REGISTERS_PER_READ) {
                problems.add("maxRegistersPerRead " + c.maxRegistersPerRead() + " is outside 1.."
                        + ReadPlanner.MAX_REGISTERS_PER_READ);
            }
            if (c.maxGap() < 0) {
                problems.add("maxGap " + c.maxGap() + " is negative");
            }
        } else if (transportName.equals(RTU)) {
            try {
                parity = ModbusRtuSettings.Parity.parse(c.parity());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            problems.addAll(ModbusRtuSettings.problems(c.serialPort(), c.baudRate(), c.dataBits(),
                    parity == null ? ModbusRtuSettings.Parity.EVEN : parity, c.stopBits(), c.unitId(), c.timeoutMillis(),
                    c.maxRegistersPerRead(), c.maxGap()));
        } else {
            problems.add("transport '" + c.transport() + "' is not tcp or rtu");
        }
        if (c.pollMillis() < 50 || c.pollMillis() > 3_600_000) {
            problems.add("pollMillis " + c.pollMillis() + " is outside 50..3600000");
        }
        if (c.slowPollEvery() < 1 || c.slowPollEvery() > 3600) {
            problems.add("slowPollEvery " + c.slowPollEvery() + " is outside 1..3600");
        }
        if (c.staleMillis() < 0 || c.staleMillis() > 3_600_000) {
            problems.add("staleMillis " + c.staleMillis() + " is outside 0..3600000 (0: " + STALE_POLLS
                    + " poll periods)");
        }
        if (c.maxBackoffMillis() < 50 || c.maxBackoffMillis() > 3_600_000) {
            problems.add("maxBackoffMillis " + c.maxBackoffMillis() + " is outside 50..3600000");
        }
        if (c.rescanMillis() < 0 || c.rescanMillis() > 86_400_000) {
            problems.add("rescanMillis " + c.rescanMillis() + " is outside 0..86400000 (0: on reconnects only)");
        }
        if (c.revertSeconds() < 1 || c.revertSeconds() > 65_534) {
            problems.add("revertSeconds " + c.revertSeconds() + " is outside 1..65534");
        }
        if (role == Role.PV_INVERTER && !(c.ratedPowerWatts() > 0)) {
            problems.add("ratedPowerWatts " + c.ratedPowerWatts() + " must be positive for a PV inverter");
        }
        BatteryRatings ratings = null;
        if (role == Role.BATTERY) {
            ratings = batteryRatings(c, problems);
        }
        String source = c.map() == null ? "" : c.map().trim();
        RegisterMap map = null;
        if (source.isEmpty()) {
            problems.add("map is empty (a JSON file path, builtin:NAME or sunspec)");
        } else if (!source.equalsIgnoreCase(SUNSPEC)) {
            try {
                RegisterMap loaded = load(source);
                map = loaded;
                if (role != null) {
                    role.problemsWith(loaded).forEach(p -> problems.add("map " + source + " " + p));
                }
            } catch (IOException | IllegalArgumentException e) {
                problems.add("map " + source + " cannot be read: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(String.join("; ", problems));
        }
        ModbusTransport transport = transportName.equals(TCP)
                ? new ModbusTcpSettings(host, c.port(), c.unitId(), c.timeoutMillis(), c.maxRegistersPerRead(),
                        c.maxGap())
                : new ModbusRtuSettings(c.serialPort().trim(), c.baudRate(), c.dataBits(), parity, c.stopBits(), c.unitId(),
                        c.timeoutMillis(), c.maxRegistersPerRead(), c.maxGap());
        Validity validity = new Validity(c.staleMillis() == 0 ? defaultStaleMillis(c.pollMillis(), c.timeoutMillis())
                : c.staleMillis(),
                Math.max(c.maxBackoffMillis(), c.pollMillis()), c.rescanMillis());
        DeviceProfile.Controls controls = new DeviceProfile.Controls(c.revertSeconds(), c.gridCharging(),
                ratings == null ? 0 : ratings.maxDischargePower().watts());
        return new DeviceSettings(id, role, transport, c.pollMillis(), c.slowPollEvery(), map, source,
                role == Role.PV_INVERTER ? c.ratedPowerWatts() : 0, ratings, validity, controls);
    }

    private static BatteryRatings batteryRatings(ModbusDeviceConfig c, List<String> problems) {
        int before = problems.size();
        if (!(c.capacityWattHours() > 0) || !Double.isFinite(c.capacityWattHours())) {
            problems.add("capacityWattHours " + c.capacityWattHours() + " must be positive for a BATTERY");
        }
        if (!(c.maxChargeWatts() > 0) || !Double.isFinite(c.maxChargeWatts())) {
            problems.add("maxChargeWatts " + c.maxChargeWatts() + " must be positive for a BATTERY");
        }
        if (!(c.maxDischargeWatts() > 0) || !Double.isFinite(c.maxDischargeWatts())) {
            problems.add("maxDischargeWatts " + c.maxDischargeWatts() + " must be positive for a BATTERY");
        }
        if (!(c.efficiencyPercent() >= 1 && c.efficiencyPercent() <= 100)) {
            problems.add("efficiencyPercent " + c.efficiencyPercent() + " is outside 1..100");
        }
        if (c.phases() != 1 && c.phases() != 3) {
            problems.add("phases " + c.phases() + " is not 1 or 3");
        }
        if (problems.size() > before) {
            return null;
        }
        return new BatteryRatings(Energy.ofWattHours(c.capacityWattHours()), Power.ofWatts(c.maxChargeWatts()),
                Power.ofWatts(c.maxDischargeWatts()), Percent.of(c.efficiencyPercent()), c.phases());
    }

    private static RegisterMap load(String source) throws IOException {
        if (source.startsWith(BUILTIN)) {
            String name = source.substring(BUILTIN.length());
            if (!ID.matcher(name).matches()) {
                throw new IOException("no shipped map named '" + name + "'");
            }
            try (InputStream in = DeviceSettings.class.getResourceAsStream("/maps/" + name + ".json")) {
                if (in == null) {
                    throw new IOException("no shipped map named '" + name + "'");
                }
                return new RegisterMapReader().read(in);
            }
        }
        Path path = Path.of(source);
        if (!Files.isRegularFile(path)) {
            throw new IOException("no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return new RegisterMapReader().read(in);
        }
    }

    @Override
    public String toString() {
        return id + " (" + role + ") at " + transport.describe() + ", map " + mapSource + ", every " + pollMillis
                + " ms, slow points every " + slowPollEvery + " polls, readings stale for at most "
                + validity.staleMillis() + " ms";
    }

    /** A configuration that cannot be used; the message lists every reason. */
    public static final class InvalidConfigurationException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidConfigurationException(String message) {
            super(message);
        }
    }
}

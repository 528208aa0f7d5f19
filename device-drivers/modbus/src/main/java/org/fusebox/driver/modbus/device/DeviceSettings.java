package org.fusebox.driver.modbus.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.fusebox.driver.modbus.map.ReadPlanner;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.map.RegisterMapReader;
import org.fusebox.driver.modbus.tcp.ModbusTcpSettings;

/**
 * A checked device configuration.
 *
 * @param id              device id
 * @param role            the role it plays
 * @param tcp             where the device is
 * @param pollMillis      poll period
 * @param map             the register map, or {@code null} when it is discovered by SunSpec
 * @param mapSource       the configured map value, for logs
 * @param ratedPowerWatts PV nameplate power; 0 for other roles
 */
public record DeviceSettings(String id, Role role, ModbusTcpSettings tcp, long pollMillis, RegisterMap map,
        String mapSource, double ratedPowerWatts) {

    public static final String SUNSPEC = "sunspec";
    public static final String BUILTIN = "builtin:";

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
        String host = c.host() == null ? "" : c.host().trim();
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
        if (c.pollMillis() < 50 || c.pollMillis() > 3_600_000) {
            problems.add("pollMillis " + c.pollMillis() + " is outside 50..3600000");
        }
        if (role == Role.PV_INVERTER && !(c.ratedPowerWatts() > 0)) {
            problems.add("ratedPowerWatts " + c.ratedPowerWatts() + " must be positive for a PV inverter");
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
                    List<String> missing = role.requiredPoints().stream()
                            .filter(name -> loaded.point(name).isEmpty()).toList();
                    if (!missing.isEmpty()) {
                        problems.add("map " + source + " lacks the points " + missing + " that a " + role + " needs");
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                problems.add("map " + source + " cannot be read: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(String.join("; ", problems));
        }
        ModbusTcpSettings tcp = new ModbusTcpSettings(host, c.port(), c.unitId(), c.timeoutMillis(),
                ReadPlanner.MAX_REGISTERS_PER_READ, 8);
        return new DeviceSettings(id, role, tcp, c.pollMillis(), map, source,
                role == Role.PV_INVERTER ? c.ratedPowerWatts() : 0);
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
        return id + " (" + role + ") at " + tcp.host() + ":" + tcp.port() + " unit " + tcp.unitId() + ", map "
                + mapSource + ", every " + pollMillis + " ms";
    }

    /** A configuration that cannot be used; the message lists every reason. */
    public static final class InvalidConfigurationException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidConfigurationException(String message) {
            super(message);
        }
    }
}

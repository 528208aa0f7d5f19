package org.fusebox.driver.modbus;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelType;
import org.fusebox.api.driver.DataType;
import org.fusebox.driver.modbus.map.Access;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.PollClass;
import org.fusebox.driver.modbus.map.PointType;
import org.fusebox.driver.modbus.map.RegisterType;
import org.fusebox.driver.modbus.map.WordOrder;

/**
 * Carries a {@link Point} in a {@link Channel}'s config, so callers that only know the api's Channel can
 * still address Modbus registers. Keys are plain strings and numbers, as Config Admin would hold them.
 */
public final class PointChannels {

    public static final String REGISTER_TYPE = "modbus.registerType";
    public static final String ADDRESS = "modbus.address";
    public static final String TYPE = "modbus.type";
    public static final String WORD_ORDER = "modbus.wordOrder";
    public static final String SCALE = "modbus.scale";
    public static final String SCALE_FACTOR_ADDRESS = "modbus.scaleFactorAddress";
    public static final String UNIT = "unit";
    public static final String ACCESS = "modbus.access";
    public static final String POLL = "modbus.poll";
    public static final String VERIFY = "modbus.verify";

    private PointChannels() {
    }

    public static Channel toChannel(Point point) {
        Map<String, Object> config = new HashMap<>();
        config.put(REGISTER_TYPE, point.registerType().name().toLowerCase(Locale.ROOT));
        config.put(ADDRESS, point.address());
        config.put(TYPE, point.type().name().toLowerCase(Locale.ROOT));
        config.put(WORD_ORDER, point.wordOrder().name().toLowerCase(Locale.ROOT));
        config.put(SCALE, point.scale());
        if (point.scaleFactorAddress() != null) {
            config.put(SCALE_FACTOR_ADDRESS, point.scaleFactorAddress());
        }
        config.put(UNIT, point.unit());
        config.put(ACCESS, point.access().name().toLowerCase(Locale.ROOT));
        config.put(POLL, point.poll().name().toLowerCase(Locale.ROOT));
        config.put(VERIFY, point.verify());
        ChannelType access = switch (point.access()) {
            case READ -> point.registerType().writable() ? ChannelType.READ_WRITE : ChannelType.READ;
            case READ_WRITE -> ChannelType.READ_WRITE;
            case WRITE -> ChannelType.WRITE;
        };
        return new Channel(point.name(), access, valueType(point), config);
    }

    /** @throws IllegalArgumentException when the channel does not describe a Modbus point */
    public static Point toPoint(Channel channel) {
        Map<String, Object> c = channel.config();
        Object sf = c.get(SCALE_FACTOR_ADDRESS);
        return new Point(channel.name(),
                RegisterType.valueOf(required(c, REGISTER_TYPE, channel).toString().toUpperCase(Locale.ROOT)),
                ((Number) required(c, ADDRESS, channel)).intValue(),
                PointType.valueOf(required(c, TYPE, channel).toString().toUpperCase(Locale.ROOT)),
                WordOrder.valueOf(c.getOrDefault(WORD_ORDER, "big").toString().toUpperCase(Locale.ROOT)),
                ((Number) c.getOrDefault(SCALE, 0)).intValue(),
                sf == null ? null : ((Number) sf).intValue(),
                String.valueOf(c.getOrDefault(UNIT, "")),
                Access.valueOf(c.getOrDefault(ACCESS, "read").toString().toUpperCase(Locale.ROOT)),
                PollClass.valueOf(c.getOrDefault(POLL, "fast").toString().toUpperCase(Locale.ROOT)),
                Boolean.parseBoolean(String.valueOf(c.getOrDefault(VERIFY, false))));
    }

    /** Whole numbers stay LONG; anything floating or scaled becomes DOUBLE. */
    public static DataType valueType(Point point) {
        return point.integral() ? DataType.LONG : DataType.DOUBLE;
    }

    private static Object required(Map<String, Object> config, String key, Channel channel) {
        Object value = config.get(key);
        if (value == null) {
            throw new IllegalArgumentException("channel " + channel.name() + " has no " + key);
        }
        return value;
    }
}

package org.fusebox.api.event;

/** Topic and property names. */
public final class FuseboxEvents {

    private FuseboxEvents() {
    }

    /** Every Fusebox topic starts with this; subscribe to {@code fusebox/*} for all of them. */
    public static final String TOPIC_ROOT = "fusebox/";

    /** A cycle completed. Properties: {@link #CYCLE}, {@link #TRIGGER}, {@link #DURATION_MICROS}. */
    public static final String CYCLE_COMPLETED = "fusebox/control/CYCLE_COMPLETED";
    /** The loop went to failsafe. Property: {@link #REASON}. */
    public static final String FAILSAFE_ENTERED = "fusebox/control/FAILSAFE_ENTERED";
    /** The loop left failsafe and controls again. */
    public static final String FAILSAFE_LEFT = "fusebox/control/FAILSAFE_LEFT";
    /** A measurement crossed a hard limit; an immediate cycle follows. Properties: {@link #DEVICE}, {@link #REASON}. */
    public static final String LIMIT_BREACH = "fusebox/control/LIMIT_BREACH";
    /** The SafetyGuard changed a setpoint. Properties: {@link #DEVICE}, {@link #RULE}, {@link #REASON}. */
    public static final String SETPOINT_CLAMPED = "fusebox/control/SETPOINT_CLAMPED";
    /** A device service appeared. Properties: {@link #DEVICE}, {@link #ROLE}. */
    public static final String DEVICE_ADDED = "fusebox/device/ADDED";
    /** A device service went away; what it controlled was put in its safe state. Properties: {@link #DEVICE}, {@link #ROLE}. */
    public static final String DEVICE_REMOVED = "fusebox/device/REMOVED";
    /**
     * A driver's charging request was accepted (since 1.1). Properties: {@link #CONNECTOR} ("charger/connector"),
     * {@link #ENERGY_WH} (a double), {@link #DEPARTURE} (ISO-8601 instant).
     */
    public static final String CHARGING_REQUEST = "fusebox/control/CHARGING_REQUEST";
    /** A configuration was refused; the previous one stays in force. Properties: {@link #PID}, {@link #REASON}. */
    public static final String CONFIG_REJECTED = "fusebox/config/REJECTED";
    /**
     * A safety limit the core enforces changed (since 1.2): the fuse, the margin, the phases, the nominal voltage
     * or a battery SoC bound. One event per changed key. Properties: {@link #KEY} (the configuration key, such as
     * {@code fuseLimitAmps}), {@link #OLD} and {@link #NEW} (the values as strings; {@code "not configured"}
     * when there was or is none), {@link #SOURCE} (where the new value came from: the configuration file, Config
     * Admin, or the core's last valid configuration after a restart).
     */
    public static final String SAFETY_LIMIT_CHANGED = "fusebox/control/SAFETY_LIMIT_CHANGED";
    /**
     * A device's register layout changed (since 1.2): a SunSpec device came back with another identity or model
     * chain (a firmware update) and the driver bound its points again. Properties: {@link #DEVICE}, {@link #OLD}
     * and {@link #NEW} (the layouts as text).
     */
    public static final String DEVICE_LAYOUT_CHANGED = "fusebox/device/LAYOUT_CHANGED";

    public static final String CYCLE = "cycle";
    public static final String TRIGGER = "trigger";
    public static final String DURATION_MICROS = "durationMicros";
    public static final String DEVICE = "device";
    public static final String ROLE = "role";
    public static final String RULE = "rule";
    public static final String REASON = "reason";
    public static final String PID = "pid";
    public static final String CONNECTOR = "connector";
    public static final String ENERGY_WH = "energyWh";
    public static final String DEPARTURE = "departure";
    /** @since 1.2 */
    public static final String KEY = "key";
    /** @since 1.2 */
    public static final String OLD = "old";
    /** @since 1.2 */
    public static final String NEW = "new";
    /** @since 1.2 */
    public static final String SOURCE = "source";
}

package org.fusebox.api.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Power;

/**
 * What the site's controllable devices should do, as an immutable set. Every {@code with...} method
 * returns a new instance.
 */
public final class Setpoints {

    private static final Setpoints EMPTY = new Setpoints(Map.of(), Map.of(), Map.of());

    private final Map<ConnectorRef, ChargerSetpoint> chargers;
    private final Map<String, BatterySetpoint> batteries;
    private final Map<String, PvSetpoint> pv;

    private Setpoints(Map<ConnectorRef, ChargerSetpoint> chargers, Map<String, BatterySetpoint> batteries,
            Map<String, PvSetpoint> pv) {
        this.chargers = chargers;
        this.batteries = batteries;
        this.pv = pv;
    }

    public static Setpoints empty() {
        return EMPTY;
    }

    public List<ChargerSetpoint> chargers() {
        return List.copyOf(chargers.values());
    }

    public List<BatterySetpoint> batteries() {
        return List.copyOf(batteries.values());
    }

    public List<PvSetpoint> pv() {
        return List.copyOf(pv.values());
    }

    public Optional<Current> chargerLimit(ConnectorRef connector) {
        return Optional.ofNullable(chargers.get(connector)).map(ChargerSetpoint::limit);
    }

    public Optional<Power> batteryPower(String batteryId) {
        return Optional.ofNullable(batteries.get(batteryId)).map(BatterySetpoint::power);
    }

    public Optional<Power> pvLimit(String inverterId) {
        return Optional.ofNullable(pv.get(inverterId)).map(PvSetpoint::maxOutput);
    }

    public Setpoints withChargerLimit(ConnectorRef connector, Current limit) {
        Map<ConnectorRef, ChargerSetpoint> m = new LinkedHashMap<>(chargers);
        m.put(connector, new ChargerSetpoint(connector, limit));
        return new Setpoints(Map.copyOf(m), batteries, pv);
    }

    public Setpoints withBatteryPower(String batteryId, Power power) {
        Map<String, BatterySetpoint> m = new LinkedHashMap<>(batteries);
        m.put(batteryId, new BatterySetpoint(batteryId, power));
        return new Setpoints(chargers, Map.copyOf(m), pv);
    }

    public Setpoints withPvLimit(String inverterId, Power maxOutput) {
        Map<String, PvSetpoint> m = new LinkedHashMap<>(pv);
        m.put(inverterId, new PvSetpoint(inverterId, maxOutput));
        return new Setpoints(chargers, batteries, Map.copyOf(m));
    }

    /** This set, with every entry of {@code other} replacing or adding to ours. */
    public Setpoints overriddenBy(Setpoints other) {
        Map<ConnectorRef, ChargerSetpoint> c = new LinkedHashMap<>(chargers);
        c.putAll(other.chargers);
        Map<String, BatterySetpoint> b = new LinkedHashMap<>(batteries);
        b.putAll(other.batteries);
        Map<String, PvSetpoint> p = new LinkedHashMap<>(pv);
        p.putAll(other.pv);
        return new Setpoints(Map.copyOf(c), Map.copyOf(b), Map.copyOf(p));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects many setpoints at once, without copying the set for each one. */
    public static final class Builder {
        private final Map<ConnectorRef, ChargerSetpoint> chargers = new LinkedHashMap<>();
        private final Map<String, BatterySetpoint> batteries = new LinkedHashMap<>();
        private final Map<String, PvSetpoint> pv = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder chargerLimit(ConnectorRef connector, Current limit) {
            chargers.put(connector, new ChargerSetpoint(connector, limit));
            return this;
        }

        public Builder batteryPower(String batteryId, Power power) {
            batteries.put(batteryId, new BatterySetpoint(batteryId, power));
            return this;
        }

        public Builder pvLimit(String inverterId, Power maxOutput) {
            pv.put(inverterId, new PvSetpoint(inverterId, maxOutput));
            return this;
        }

        public Setpoints build() {
            return new Setpoints(Map.copyOf(chargers), Map.copyOf(batteries), Map.copyOf(pv));
        }
    }

    public boolean isEmpty() {
        return chargers.isEmpty() && batteries.isEmpty() && pv.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Setpoints s && chargers.equals(s.chargers) && batteries.equals(s.batteries)
                && pv.equals(s.pv);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chargers, batteries, pv);
    }

    @Override
    public String toString() {
        return "Setpoints[chargers=" + chargers.values() + ", batteries=" + batteries.values() + ", pv=" + pv.values() + "]";
    }
}

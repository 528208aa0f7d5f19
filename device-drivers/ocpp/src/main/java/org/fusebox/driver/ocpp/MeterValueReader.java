package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.units.Phase;

/**
 * Reads the sampled values this central system uses out of an (already shape-checked) meterValue array:
 * Energy.Active.Import.Register (Wh, kWh), Power.Active.Import (W, kW), Current.Import per phase (A) and
 * SoC (Percent).
 *
 * <ul>
 * <li>A value that cannot be used (not a number, a unit that does not fit its measurand, a negative current)
 * is skipped and named in {@link Sample#skipped()}; the rest of the message is still used.</li>
 * <li>Energy: the total register (no phase) wins; without one, the per-phase registers are summed. A phase
 * register never overwrites the total, whatever the order of the values.</li>
 * <li>Location: Outlet (the default) is what the connector delivers; Inlet values are used for a measurand
 * only when the message has no Outlet value for it. EV, Body and Cable values are ignored, except SoC.</li>
 * <li>Context: every context is a measurement (Sample.Periodic, Sample.Clock, Trigger, Transaction.Begin/End,
 * Interruption.*). When a message holds several meterValue entries, the latest timestamp wins.</li>
 * <li>Signed values are skipped (their value is not plain text).</li>
 * </ul>
 */
final class MeterValueReader {

    /**
     * What one MeterValues message said; {@code null} fields were not in it.
     *
     * @param currents per phase; a value without a phase is put on every phase of the connector
     * @param skipped  one line per sampled value that was not usable
     */
    record Sample(Double energyWh, Double powerW, Map<Phase, Double> currents, Double socPercent, List<String> skipped) {

        boolean measuresDraw() {
            return powerW != null || !currents.isEmpty();
        }
    }

    private MeterValueReader() {
    }

    /** What one location of one meterValue entry said. */
    private static final class Values {
        Double energyTotal;
        final Map<Phase, Double> energyPhases = new EnumMap<>(Phase.class);
        Double powerTotal;
        Double powerPhased;
        final Map<Phase, Double> currents = new EnumMap<>(Phase.class);
        Double unphasedCurrent;

        Double energy() {
            if (energyTotal != null) {
                return energyTotal;
            }
            return energyPhases.isEmpty() ? null : energyPhases.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        Double power() {
            return powerTotal != null ? powerTotal : powerPhased;
        }
    }

    static Sample read(JsonNode meterValues, List<Phase> connectorPhases) {
        List<JsonNode> entries = new ArrayList<>();
        meterValues.forEach(entries::add);
        // oldest first, so that the newest entry's values are the ones kept (a stable sort keeps the order of ties)
        entries.sort(Comparator.comparing(MeterValueReader::timestampOf));
        Double energy = null;
        Double power = null;
        Map<Phase, Double> currents = new EnumMap<>(Phase.class);
        Double soc = null;
        List<String> skipped = new ArrayList<>();
        for (JsonNode entry : entries) {
            Values outlet = new Values();
            Values inlet = new Values();
            JsonNode sampled = entry.get("sampledValue");
            int index = indexOf(meterValues, entry);
            for (int j = 0; j < sampled.size(); j++) {
                JsonNode sv = sampled.get(j);
                String where = "meterValue[" + index + "].sampledValue[" + j + "]";
                if ("SignedData".equals(text(sv, "format", "Raw"))) {
                    continue;
                }
                String measurand = text(sv, "measurand", "Energy.Active.Import.Register");
                String location = text(sv, "location", "Outlet");
                if ("SoC".equals(measurand)) {
                    Double v = value(sv, where, "Percent", 1, null, skipped);
                    if (v != null) {
                        soc = Math.max(0, Math.min(100, v));
                    }
                    continue;
                }
                Values into = switch (location) {
                    case "Outlet" -> outlet;
                    case "Inlet" -> inlet;
                    default -> null;
                };
                if (into != null) {
                    take(into, measurand, sv, where, connectorPhases, skipped);
                }
            }
            Double e = pick(outlet.energy(), inlet.energy());
            if (e != null) {
                energy = e;
            }
            Double p = pick(outlet.power(), inlet.power());
            if (p != null) {
                power = p;
            }
            Values draw = !outlet.currents.isEmpty() || outlet.unphasedCurrent != null ? outlet : inlet;
            Map<Phase, Double> c = currentsOf(draw, connectorPhases);
            if (!c.isEmpty()) {
                currents = c;
            }
        }
        return new Sample(energy, power, currents, soc, List.copyOf(skipped));
    }

    private static void take(Values into, String measurand, JsonNode sv, String where, List<Phase> connectorPhases,
            List<String> skipped) {
        String phaseText = text(sv, "phase", null);
        Phase phase = phaseOf(phaseText);
        switch (measurand) {
            case "Energy.Active.Import.Register" -> {
                Double v = value(sv, where, "Wh", 1, "kWh", skipped);
                if (v == null) {
                    return;
                }
                if (phaseText == null) {
                    into.energyTotal = v;
                } else if (phase != null) {
                    into.energyPhases.put(phase, v);
                }
            }
            case "Power.Active.Import" -> {
                Double v = value(sv, where, "W", 1, "kW", skipped);
                if (v == null) {
                    return;
                }
                if (phaseText == null) {
                    into.powerTotal = v;
                } else if (phase != null) {
                    into.powerPhased = (into.powerPhased == null ? 0 : into.powerPhased) + v;
                }
            }
            case "Current.Import" -> {
                Double v = value(sv, where, "A", 1, null, skipped);
                if (v == null) {
                    return;
                }
                if (v < 0) {
                    skipped.add(where + ": negative Current.Import " + v);
                } else if (phase != null) {
                    into.currents.put(phase, v);
                } else if (phaseText == null) {
                    into.unphasedCurrent = v;
                }
            }
            default -> {
                // measured but not used by the control core
            }
        }
    }

    private static Map<Phase, Double> currentsOf(Values v, List<Phase> connectorPhases) {
        Map<Phase, Double> out = new EnumMap<>(v.currents);
        if (v.unphasedCurrent != null) {
            for (Phase p : connectorPhases) {
                out.putIfAbsent(p, v.unphasedCurrent);
            }
        }
        return out;
    }

    private static Double pick(Double preferred, Double fallback) {
        return preferred != null ? preferred : fallback;
    }

    /**
     * The value in {@code unit}; {@code kiloUnit} (×1000) is accepted too. A missing unit is taken as the
     * measurand's own (OCPP's default of Wh fits only energy, and chargers leave it out for currents as well).
     */
    private static Double value(JsonNode sv, String where, String unit, double scale, String kiloUnit, List<String> skipped) {
        String given = text(sv, "unit", null);
        double factor;
        if (given == null || given.equals(unit)) {
            factor = scale;
        } else if (given.equals(kiloUnit)) {
            factor = 1000;
        } else {
            skipped.add(where + ": unit " + given + " does not fit " + text(sv, "measurand", "Energy.Active.Import.Register"));
            return null;
        }
        String s = sv.get("value").asText().trim();
        try {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d)) {
                return d * factor;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        skipped.add(where + ": value '" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "' is not a number");
        return null;
    }

    private static OffsetDateTime timestampOf(JsonNode entry) {
        try {
            return OffsetDateTime.parse(entry.path("timestamp").asText());
        } catch (RuntimeException e) {
            return OffsetDateTime.MIN;
        }
    }

    private static int indexOf(JsonNode array, JsonNode entry) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) == entry) {
                return i;
            }
        }
        return -1;
    }

    /** L1, L1-N and the like name a phase; N and line-to-line voltages do not. */
    private static Phase phaseOf(String phase) {
        if (phase == null) {
            return null;
        }
        return switch (phase) {
            case "L1", "L1-N" -> Phase.L1;
            case "L2", "L2-N" -> Phase.L2;
            case "L3", "L3-N" -> Phase.L3;
            default -> null;
        };
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}

package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.units.Phase;
import org.fusebox.driver.ocpp.protocol.ErrorCode;
import org.fusebox.driver.ocpp.protocol.ViolationException;

/**
 * Reads the sampled values this central system uses out of an (already shape-checked) meterValue array:
 * Energy.Active.Import.Register (Wh, kWh), Power.Active.Import (W, kW), Current.Import per phase (A) and
 * SoC (Percent). Other measurands and signed values are skipped.
 */
final class MeterValueReader {

    /**
     * What one MeterValues message said; {@code null} fields were not in it.
     *
     * @param currents per phase; a value without a phase is put on every phase of the connector
     */
    record Sample(Double energyWh, Double powerW, Map<Phase, Double> currents, Double socPercent) {
    }

    private MeterValueReader() {
    }

    static Sample read(JsonNode meterValues, List<Phase> connectorPhases) throws ViolationException {
        Double energy = null;
        Double powerTotal = null;
        double phasedPower = 0;
        boolean anyPhasedPower = false;
        Map<Phase, Double> currents = new EnumMap<>(Phase.class);
        Double soc = null;
        for (int i = 0; i < meterValues.size(); i++) {
            JsonNode sampled = meterValues.get(i).get("sampledValue");
            for (int j = 0; j < sampled.size(); j++) {
                JsonNode sv = sampled.get(j);
                if ("SignedData".equals(text(sv, "format", "Raw"))) {
                    continue;
                }
                String measurand = text(sv, "measurand", "Energy.Active.Import.Register");
                String unit = text(sv, "unit", null);
                String phase = text(sv, "phase", null);
                String where = "meterValue[" + i + "].sampledValue[" + j + "]";
                switch (measurand) {
                    case "Energy.Active.Import.Register" -> {
                        double v = number(sv, where);
                        energy = switch (unit == null ? "Wh" : unit) {
                            case "Wh" -> v;
                            case "kWh" -> v * 1000;
                            default -> throw badUnit(where, unit, measurand);
                        };
                    }
                    case "Power.Active.Import" -> {
                        double v = number(sv, where);
                        double w = switch (unit == null ? "W" : unit) {
                            case "W" -> v;
                            case "kW" -> v * 1000;
                            default -> throw badUnit(where, unit, measurand);
                        };
                        if (phase == null) {
                            powerTotal = w;
                        } else {
                            phasedPower += w;
                            anyPhasedPower = true;
                        }
                    }
                    case "Current.Import" -> {
                        double v = number(sv, where);
                        if (unit != null && !"A".equals(unit)) {
                            throw badUnit(where, unit, measurand);
                        }
                        Phase p = phaseOf(phase);
                        if (p != null) {
                            currents.put(p, v);
                        } else if (phase == null) {
                            for (Phase cp : connectorPhases) {
                                currents.putIfAbsent(cp, v);
                            }
                        }
                    }
                    case "SoC" -> {
                        double v = number(sv, where);
                        if (unit != null && !"Percent".equals(unit)) {
                            throw badUnit(where, unit, measurand);
                        }
                        soc = Math.max(0, Math.min(100, v));
                    }
                    default -> {
                        // measured but not used by the control core
                    }
                }
            }
        }
        Double power = powerTotal != null ? powerTotal : anyPhasedPower ? phasedPower : null;
        return new Sample(energy, power, currents, soc);
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

    private static double number(JsonNode sv, String where) throws ViolationException {
        String s = sv.get("value").asText().trim();
        try {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ViolationException(ErrorCode.PropertyConstraintViolation,
                where + ".value '" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "' is not a number");
    }

    private static ViolationException badUnit(String where, String unit, String measurand) {
        return new ViolationException(ErrorCode.PropertyConstraintViolation,
                where + ".unit " + unit + " does not fit " + measurand);
    }
}

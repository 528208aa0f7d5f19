package org.fusebox.optimiser.fuse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A validated fuse-sharing configuration. */
record FuseSettings(Map<String, Integer> weights, double resumeHysteresisAmps, double minIncreaseAmps) {

    static final FuseSettings DEFAULTS = new FuseSettings(Map.of(), 2.0, 1.0);

    FuseSettings {
        weights = Map.copyOf(weights);
    }

    int weightOf(String chargerId) {
        return weights.getOrDefault(chargerId, 1);
    }

    /** @throws IllegalArgumentException naming every bad value */
    static FuseSettings from(FuseConfig c) {
        List<String> errors = new ArrayList<>();
        Map<String, Integer> weights = new HashMap<>();
        for (String entry : c.priorities() == null ? new String[0] : c.priorities()) {
            String[] kv = entry.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                errors.add("priorities entry '" + entry + "' must look like chargerId=weight");
                continue;
            }
            try {
                int w = Integer.parseInt(kv[1].trim());
                if (w < 1 || w > 100) {
                    errors.add("priorities weight for " + kv[0].trim() + " must be within 1..100, got " + w);
                } else {
                    weights.put(kv[0].trim(), w);
                }
            } catch (NumberFormatException e) {
                errors.add("priorities weight for " + kv[0].trim() + " must be a whole number, got '" + kv[1].trim() + "'");
            }
        }
        if (!(c.resumeHysteresisAmps() >= 0) || c.resumeHysteresisAmps() > 32) {
            errors.add("resumeHysteresisAmps must be within 0..32, got " + c.resumeHysteresisAmps());
        }
        if (!(c.minIncreaseAmps() >= 0) || c.minIncreaseAmps() > 32) {
            errors.add("minIncreaseAmps must be within 0..32, got " + c.minIncreaseAmps());
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new FuseSettings(weights, c.resumeHysteresisAmps(), c.minIncreaseAmps());
    }
}

package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a charger up for load management once its boot is accepted: clears stale profiles of ours (first boot
 * seen by this gateway), reads its configuration, asks for the meter values the fuse protection needs
 * (MeterValuesSampledData, cut to MeterValuesSampledDataMaxLength) at the configured MeterValueSampleInterval
 * where the keys are writable, and triggers StatusNotification and MeterValues. What it could not set goes to
 * the charge point's health and the log. Every call is queued behind the limits on the charger's link.
 */
final class ChargerConfigurator {

    private static final Logger LOG = LoggerFactory.getLogger(ChargerConfigurator.class);

    static final String SAMPLED_DATA = "MeterValuesSampledData";
    static final String SAMPLED_DATA_MAX_LENGTH = "MeterValuesSampledDataMaxLength";
    static final String SAMPLE_INTERVAL = "MeterValueSampleInterval";

    private record Key(String value, boolean readonly) {
    }

    private final ChargePoint cp;
    private final ChargePointLink link;
    private final OcppSettings settings;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    ChargerConfigurator(ChargePoint cp, ChargePointLink link, OcppSettings settings) {
        this.cp = cp;
        this.link = link;
        this.settings = settings;
    }

    void start(boolean clearStaleProfiles) {
        if (clearStaleProfiles) {
            // profiles a previous run of this gateway left (our stack level): the limits of this run replace them
            ObjectNode clear = obj().put("chargingProfilePurpose", "TxDefaultProfile").put("stackLevel", settings.stackLevel);
            link.call("ClearChargingProfile", clear, settings.profileCallTimeoutMillis, 0, true)
                    .whenComplete((a, e) -> LOG.info("{}: ClearChargingProfile of stale TxDefaultProfiles (stack level {}): {}",
                            cp.id(), settings.stackLevel, e != null ? e.getMessage() : a.path("status").asText()));
        }
        if (!settings.configureChargers) {
            return;
        }
        link.call("GetConfiguration", obj()).whenComplete((answer, error) -> {
            if (error != null) {
                problem("GetConfiguration failed: " + message(error));
                finish(List.of());
                return;
            }
            finish(change(keysOf(answer)));
        });
    }

    private List<CompletableFuture<?>> change(Map<String, Key> keys) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        List<String> wanted = new ArrayList<>(settings.meterValuesSampledData);
        Key max = keys.get(SAMPLED_DATA_MAX_LENGTH);
        if (max != null) {
            try {
                int n = Integer.parseInt(max.value().trim());
                if (n >= 1 && n < wanted.size()) {
                    problem(SAMPLED_DATA_MAX_LENGTH + " is " + n + ": " + wanted.subList(n, wanted.size()) + " not asked for");
                    wanted = new ArrayList<>(wanted.subList(0, n));
                }
            } catch (NumberFormatException e) {
                LOG.debug("{}: {} '{}' is not a number", cp.id(), SAMPLED_DATA_MAX_LENGTH, max.value());
            }
        }
        Key sampled = keys.get(SAMPLED_DATA);
        if (!wanted.isEmpty()) {
            if (sampled == null) {
                problem("it has no " + SAMPLED_DATA + " key; it reports what its firmware chooses");
            } else if (!measurands(sampled.value()).containsAll(wanted)) {
                if (sampled.readonly()) {
                    problem(SAMPLED_DATA + " is read-only: '" + sampled.value() + "', not " + wanted);
                } else {
                    calls.add(set(SAMPLED_DATA, String.join(",", wanted)));
                }
            }
        }
        int interval = settings.meterValueSampleIntervalSeconds;
        if (interval > 0) {
            Key k = keys.get(SAMPLE_INTERVAL);
            if (k == null) {
                problem("it has no " + SAMPLE_INTERVAL + " key");
            } else if (!String.valueOf(interval).equals(k.value().trim())) {
                if (k.readonly()) {
                    problem(SAMPLE_INTERVAL + " is read-only: " + k.value() + " s, not " + interval + " s");
                } else {
                    calls.add(set(SAMPLE_INTERVAL, String.valueOf(interval)));
                }
            }
        }
        return calls;
    }

    private CompletableFuture<?> set(String key, String value) {
        return link.call("ChangeConfiguration", obj().put("key", key).put("value", value)).whenComplete((a, e) -> {
            String status = e != null ? message(e) : a.path("status").asText();
            if ("Accepted".equals(status)) {
                LOG.info("{}: {} set to {}", cp.id(), key, value);
            } else {
                problem(key + " = " + value + " answered " + status);
            }
        });
    }

    /** Once the changes are answered: what the charger reports now, and the health report. */
    private void finish(List<CompletableFuture<?>> calls) {
        CompletableFuture.allOf(calls.stream().map(f -> f.handle((a, b) -> null)).toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> {
                    trigger("StatusNotification", null);
                    for (int c = 1; c <= cp.connectors().size(); c++) {
                        trigger("MeterValues", c);
                    }
                    List<String> found = List.copyOf(problems);
                    if (!found.isEmpty()) {
                        LOG.warn("{}: not configured as asked: {}", cp.id(), String.join("; ", found));
                    }
                    cp.configurationReport(found);
                });
    }

    private void trigger(String message, Integer connectorId) {
        ObjectNode p = obj().put("requestedMessage", message);
        if (connectorId != null) {
            p.put("connectorId", connectorId);
        }
        link.call("TriggerMessage", p).whenComplete((a, e) -> LOG.debug("{}: TriggerMessage {} {}: {}", cp.id(), message,
                connectorId, e != null ? message(e) : a.path("status").asText()));
    }

    private static Map<String, Key> keysOf(JsonNode answer) {
        Map<String, Key> keys = new HashMap<>();
        for (JsonNode k : answer.path("configurationKey")) {
            keys.put(k.path("key").asText(), new Key(k.path("value").asText(""), k.path("readonly").asBoolean(false)));
        }
        return keys;
    }

    private static List<String> measurands(String csl) {
        return Arrays.stream(csl.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    }

    private void problem(String text) {
        problems.add(text);
    }

    private static String message(Throwable e) {
        Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }
}

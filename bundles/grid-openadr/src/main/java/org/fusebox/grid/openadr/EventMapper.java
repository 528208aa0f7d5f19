package org.fusebox.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;

/**
 * Maps one OpenADR 3.0.1 event to {@link GridSignal}s, whole or not at all: a malformed event gives a
 * reason and no signal. Pure: the same event and programs always give the same answer.
 *
 * <ul>
 * <li>IMPORT_CAPACITY_LIMIT / EXPORT_CAPACITY_LIMIT: power in the payloadDescriptor's units (KW when none,
 * W or MW), in watts; negative or not a number is refused.</li>
 * <li>PRICE / EXPORT_PRICE: per KWH when no units (MWH or WH too), per MWh; the currency comes from the
 * payloadDescriptor and is required.</li>
 * <li>SIMPLE: a load-shed level 0..3. ALERT_*: an alert with the payload's text.</li>
 * <li>Other payload types are left out and noted.</li>
 * </ul>
 * The event's payloadDescriptors win over its program's. An interval's start and duration come from its own
 * intervalPeriod, else from the event's; an interval without a start of its own follows the previous one
 * (the event's start for the first), as does one that starts at 0001-01-01. A duration of 100 years or more
 * (P9999Y) runs until further notice. A zero duration (PT0S, the schema's default) has no span in which a
 * value could apply: that interval gives no signal and is noted (a VTN cancels an event this way too), but
 * its payloads are checked like any other, so a malformed one still refuses the event. A
 * payload with n values splits its interval into n equal parts. randomizeStart is not applied (noted).
 */
final class EventMapper {

    private static final Pattern OBJECT_ID = Pattern.compile("[a-zA-Z0-9_-]{1,128}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final String sourceId;

    /** @param sourceId the {@code GridSignalSource} id, the first part of each signal's source */
    EventMapper(String sourceId) {
        this.sourceId = sourceId;
    }

    /** Thrown inside the mapping with the reason an event is refused. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    MappedEvent map(JsonNode event, Map<String, Program> programs) {
        String version = Integer.toHexString(String.valueOf(event).hashCode());
        if (event == null || !event.isObject()) {
            return MappedEvent.refused("?", "?#" + version, "an event must be a JSON object");
        }
        JsonNode idNode = event.path("id");
        String id = idNode.isTextual() ? idNode.asText() : null;
        if (id == null || !OBJECT_ID.matcher(id).matches()) {
            String shown = idNode.isMissingNode() ? "none" : abbreviated(idNode.toString());
            return MappedEvent.refused("?", "?#" + version, "an event without a valid id (objectID) cannot be followed, got " + shown
                    + (event.path("eventName").isTextual() ? " (eventName '" + abbreviated(event.path("eventName").asText()) + "')" : ""));
        }
        version = id + "#" + version;
        try {
            return mapChecked(id, version, event, programs);
        } catch (Malformed e) {
            return MappedEvent.refused(id, version, "event " + id + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // a GridSignal refused a value: the whole event goes
            return MappedEvent.refused(id, version, "event " + id + ": " + e.getMessage());
        }
    }

    private MappedEvent mapChecked(String id, String version, JsonNode event, Map<String, Program> programs) {
        JsonNode programNode = event.path("programID");
        if (!programNode.isTextual() || programNode.asText().isEmpty()) {
            throw new Malformed("programID is missing");
        }
        String programId = programNode.asText();
        Program program = programs.get(programId);
        String source = sourceId + "/" + (program == null ? programId : program.name());
        List<String> notes = new ArrayList<>();

        StringBuilder about = new StringBuilder();
        JsonNode name = event.path("eventName");
        about.append(name.isTextual() && !name.asText().isBlank() ? name.asText() : "event " + id);
        about.append(" (program ").append(program == null ? programId : program.name());
        JsonNode priority = event.path("priority");
        if (!priority.isMissingNode() && !priority.isNull()) {
            if (!priority.canConvertToInt() || !priority.isIntegralNumber() || priority.asInt() < 0) {
                throw new Malformed("priority must be an integer of at least 0, got " + abbreviated(priority.toString()));
            }
            about.append(", priority ").append(priority.asInt());
        }
        about.append(')');

        JsonNode eventDescriptors = arrayOrEmpty(event, "payloadDescriptors");
        JsonNode programDescriptors = program == null || program.payloadDescriptors() == null
                || !program.payloadDescriptors().isArray() ? null : program.payloadDescriptors();

        Instant eventStart = null;
        IsoTime.Span eventDuration = null;
        JsonNode eventPeriod = event.path("intervalPeriod");
        if (!eventPeriod.isMissingNode() && !eventPeriod.isNull()) {
            if (!eventPeriod.isObject()) {
                throw new Malformed("intervalPeriod must be an object");
            }
            eventStart = start(eventPeriod, "the event's intervalPeriod");
            eventDuration = durationOf(eventPeriod, "the event's intervalPeriod");
            noteRandomize(eventPeriod, "the event", notes);
        }

        JsonNode intervals = event.path("intervals");
        if (!intervals.isArray()) {
            throw new Malformed("intervals must be an array");
        }
        List<GridSignal> signals = new ArrayList<>();
        Set<Integer> intervalIds = new HashSet<>();
        Set<String> signalIds = new HashSet<>();
        Set<String> ignoredTypes = new LinkedHashSet<>();
        List<MappedEvent.Interval> mappedIntervals = new ArrayList<>();
        boolean first = true;
        Instant previousEnd = null;
        boolean previousOpen = false;
        for (JsonNode interval : intervals) {
            if (!interval.isObject()) {
                throw new Malformed("an interval must be a JSON object");
            }
            JsonNode iid = interval.path("id");
            if (!iid.isIntegralNumber() || !iid.canConvertToInt()) {
                throw new Malformed("an interval's id must be an integer, got " + abbreviated(iid.toString()));
            }
            int intervalId = iid.asInt();
            String where = "interval " + intervalId;
            if (!intervalIds.add(intervalId)) {
                throw new Malformed("two intervals have the id " + intervalId);
            }
            JsonNode period = interval.path("intervalPeriod");
            boolean ownPeriod = !period.isMissingNode() && !period.isNull();
            if (ownPeriod && !period.isObject()) {
                throw new Malformed(where + ": intervalPeriod must be an object");
            }
            Instant own = ownPeriod ? start(period, where) : null;
            Instant start;
            if (own != null && !own.equals(IsoTime.BEGINNING)) {
                start = own;
            } else if (first) {
                if (eventStart != null) {
                    start = eventStart;
                } else if (own != null) {
                    start = IsoTime.BEGINNING; // 'do it now'
                } else {
                    throw new Malformed(where + " has no start: neither it nor the event has an intervalPeriod");
                }
            } else {
                if (previousOpen) {
                    throw new Malformed(where + " follows an interval that never ends");
                }
                start = previousEnd;
            }
            IsoTime.Span duration = ownPeriod && period.has("duration") && !period.get("duration").isNull()
                    ? durationOf(period, where)
                    : eventDuration != null ? eventDuration : IsoTime.duration("PT0S");
            if (ownPeriod) {
                noteRandomize(period, where, notes);
            }
            JsonNode payloads = interval.path("payloads");
            if (!payloads.isArray()) {
                throw new Malformed(where + ": payloads must be an array");
            }
            for (JsonNode payload : payloads) {
                if (!payload.isObject() || !payload.path("type").isTextual() || payload.path("type").asText().isEmpty()) {
                    throw new Malformed(where + ": a payload needs a type");
                }
                if (!payload.path("values").isArray()) {
                    throw new Malformed(where + ": payload " + payload.path("type").asText() + " needs a values array");
                }
            }
            first = false;
            // a zero duration has no span to apply a value in: its payloads are checked all the same, then left out
            boolean zero = duration.isZero();
            if (zero) {
                notes.add(where + " has a zero duration (" + duration.text() + "): nothing to apply");
            }
            Instant end = zero ? start : duration.endFrom(start);
            previousEnd = end;
            mappedIntervals.add(new MappedEvent.Interval(intervalId, start, end));
            previousOpen = end == null;
            for (JsonNode payload : payloads) {
                String type = payload.get("type").asText();
                JsonNode values = payload.get("values");
                String signalId = id + "/" + intervalId + "/" + type;
                if (!signalIds.add(signalId)) {
                    throw new Malformed(where + " has payload type " + type + " twice");
                }
                if (type.startsWith("ALERT_")) {
                    String text = alertText(type, values);
                    if (!zero) {
                        signals.add(new GridSignal(signalId, source, GridSignalKind.ALERT, start, end, 0, "", text + " — " + about));
                    }
                    continue;
                }
                GridSignalKind kind = kindOf(type);
                if (kind == null) {
                    ignoredTypes.add(type);
                    continue;
                }
                JsonNode descriptor = descriptor(type, eventDescriptors, programDescriptors);
                double factor;
                String currency = "";
                String detail = about.toString();
                if (kind.isCapacityLimit()) {
                    factor = powerFactor(type, text(descriptor, "units"));
                } else if (kind == GridSignalKind.LOAD_SHED_LEVEL) {
                    factor = 1;
                } else {
                    factor = pricePerMwhFactor(type, text(descriptor, "units"));
                    currency = text(descriptor, "currency");
                    if (currency == null || !CURRENCY.matcher(currency).matches()) {
                        throw new Malformed(type + " needs a currency (ISO 4217) in its payloadDescriptor, got "
                                + (currency == null ? "none" : "'" + abbreviated(currency) + "'"));
                    }
                }
                int n = values.size();
                if (n == 0) {
                    throw new Malformed(where + ": payload " + type + " has no value");
                }
                if (n > 1 && end == null) {
                    throw new Malformed(where + ": payload " + type + " has " + n + " values but the interval never ends, so they cannot share it");
                }
                Duration part = end == null || zero ? null : Duration.between(start, end).dividedBy(n);
                if (part != null && part.isZero()) {
                    throw new Malformed(where + ": " + n + " values of " + type + " in " + duration.text() + " leave no time for each");
                }
                for (int k = 0; k < n; k++) {
                    double value = number(values.get(k), where, type);
                    if (kind == GridSignalKind.LOAD_SHED_LEVEL && (value != Math.rint(value) || value < 0 || value > 3)) {
                        throw new Malformed(where + ": SIMPLE must be 0, 1, 2 or 3, got " + values.get(k));
                    }
                    if (kind.isCapacityLimit() && value < 0) {
                        throw new Malformed(where + ": " + type + " cannot be negative, got " + values.get(k));
                    }
                    if (zero) {
                        continue;
                    }
                    Instant s = part == null ? start : start.plus(part.multipliedBy(k));
                    Instant e = part == null ? null : k == n - 1 ? end : start.plus(part.multipliedBy(k + 1));
                    signals.add(new GridSignal(n == 1 ? signalId : signalId + "/" + k, source, kind, s, e,
                            value * factor, currency, detail));
                }
            }
        }
        if (!ignoredTypes.isEmpty()) {
            notes.add("payload types not applied here: " + String.join(", ", ignoredTypes));
        }
        return new MappedEvent(id, version, signals, null, notes, mappedIntervals);
    }

    private static GridSignalKind kindOf(String type) {
        return switch (type) {
            case "IMPORT_CAPACITY_LIMIT" -> GridSignalKind.IMPORT_CAPACITY_LIMIT;
            case "EXPORT_CAPACITY_LIMIT" -> GridSignalKind.EXPORT_CAPACITY_LIMIT;
            case "PRICE" -> GridSignalKind.PRICE;
            case "EXPORT_PRICE" -> GridSignalKind.EXPORT_PRICE;
            case "SIMPLE" -> GridSignalKind.LOAD_SHED_LEVEL;
            default -> null;
        };
    }

    /** Watts per unit of a capacity limit. */
    private static double powerFactor(String type, String units) {
        String u = units == null ? "KW" : units.toUpperCase(Locale.ROOT);
        return switch (u) {
            case "KW" -> 1_000;
            case "W" -> 1;
            case "MW" -> 1_000_000;
            default -> throw new Malformed(type + " in units '" + abbreviated(units) + "' is not a power (KW, W or MW)");
        };
    }

    /** What one price in these units is per MWh. */
    private static double pricePerMwhFactor(String type, String units) {
        String u = units == null ? "KWH" : units.toUpperCase(Locale.ROOT);
        return switch (u) {
            case "KWH" -> 1_000;
            case "MWH" -> 1;
            case "WH" -> 1_000_000;
            default -> throw new Malformed(type + " in units '" + abbreviated(units) + "' is not a price of energy (per KWH, MWH or WH)");
        };
    }

    private static JsonNode descriptor(String type, JsonNode eventDescriptors, JsonNode programDescriptors) {
        for (JsonNode d : eventDescriptors) {
            if (type.equals(d.path("payloadType").asText(null))) {
                return d;
            }
        }
        if (programDescriptors != null) {
            for (JsonNode d : programDescriptors) {
                if (type.equals(d.path("payloadType").asText(null))
                        && !"REPORT_PAYLOAD_DESCRIPTOR".equals(d.path("objectType").asText(null))) {
                    return d;
                }
            }
        }
        return null;
    }

    private static String text(JsonNode descriptor, String field) {
        if (descriptor == null) {
            return null;
        }
        JsonNode v = descriptor.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Malformed("payloadDescriptor " + descriptor.path("payloadType").asText() + ": " + field + " must be text");
        }
        return v.asText();
    }

    private static JsonNode arrayOrEmpty(JsonNode event, String field) {
        JsonNode v = event.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!v.isArray()) {
            throw new Malformed(field + " must be an array");
        }
        for (JsonNode d : v) {
            if (!d.isObject() || !d.path("payloadType").isTextual()) {
                throw new Malformed(field + ": each needs a payloadType");
            }
        }
        return v;
    }

    private static double number(JsonNode v, String where, String type) {
        if (!v.isNumber()) {
            throw new Malformed(where + ": " + type + " must be a number, got " + abbreviated(v.toString()));
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw new Malformed(where + ": " + type + " is not a finite number: " + abbreviated(v.toString()));
        }
        return d;
    }

    private static String alertText(String type, JsonNode values) {
        List<String> texts = new ArrayList<>();
        for (JsonNode v : values) {
            if (v.isValueNode() && !v.isNull()) {
                texts.add(v.asText());
            } else {
                throw new Malformed(type + ": an alert's values must be text, got " + abbreviated(v.toString()));
            }
        }
        return texts.isEmpty() ? type : type + ": " + String.join("; ", texts);
    }

    private static Instant start(JsonNode period, String where) {
        JsonNode s = period.path("start");
        if (!s.isTextual()) {
            throw new Malformed(where + ": intervalPeriod.start is missing");
        }
        try {
            return IsoTime.start(s.asText());
        } catch (IllegalArgumentException e) {
            throw new Malformed(where + ": " + e.getMessage());
        }
    }

    private static IsoTime.Span durationOf(JsonNode period, String where) {
        JsonNode d = period.path("duration");
        if (d.isMissingNode() || d.isNull()) {
            return IsoTime.duration("PT0S");
        }
        if (!d.isTextual()) {
            throw new Malformed(where + ": duration must be text");
        }
        try {
            return IsoTime.duration(d.asText());
        } catch (IllegalArgumentException e) {
            throw new Malformed(where + ": " + e.getMessage());
        }
    }

    private static void noteRandomize(JsonNode period, String where, List<String> notes) {
        JsonNode r = period.path("randomizeStart");
        if (r.isTextual()) {
            try {
                if (!IsoTime.duration(r.asText()).isZero()) {
                    notes.add(where + ": randomizeStart " + r.asText() + " not applied (starts are kept as sent)");
                }
            } catch (IllegalArgumentException e) {
                notes.add(where + ": randomizeStart '" + abbreviated(r.asText()) + "' unreadable, ignored");
            }
        }
    }

    static String abbreviated(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}

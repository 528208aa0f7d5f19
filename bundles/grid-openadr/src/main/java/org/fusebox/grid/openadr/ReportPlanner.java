package org.fusebox.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.fusebox.grid.openadr.ReportRequest.Measure;

/**
 * Which reports an event asks for that are due now, and their bodies (OpenADR 3.0.1 {@code report} objects).
 *
 * <p>A reportDescriptor selects the event's intervals up to its startInterval (-1: the last), numIntervals of
 * them (-1: all; intervals of zero duration are left out), and groups them frequency at a time (-1: all the
 * selected at once) into reports, at most repeat of them. A report is due once its last interval has ended and
 * holds one value per interval, measured in that interval (see {@link ReportRequest.Measure}). An interval
 * without measurements is left out of its report and said why; a report with no interval measured is not sent
 * and said why. Pure but for the samples it reads: a report's key names the event, the descriptor and its
 * intervals, so the caller sends each once.
 */
final class ReportPlanner {

    /** The resource name OpenADR gives data aggregated over more than one resource. */
    static final String AGGREGATED = "AGGREGATED_REPORT";
    /** A USAGE, MEAN, AVERAGE or PEAK value needs readings spanning this share of its interval. */
    static final double COVERAGE = 0.9;

    /** A report to send: its key, what it is (for logs and health) and its body. */
    record Due(String key, String about, ObjectNode body, List<String> gaps) {
    }

    /** A report that is due but has nothing measured: its key and why. */
    record Skipped(String key, String reason) {
    }

    /** What one event asks for now. */
    record Plan(List<Due> due, List<Skipped> skipped, List<String> unsupported, List<String> waiting, int requested) {

        static final Plan NONE = new Plan(List.of(), List.of(), List.of(), List.of(), 0);
    }

    private final ObjectMapper json;
    private final String clientName;
    private final String resourceName;

    /**
     * @param clientName   the report's clientName (the VEN's name)
     * @param resourceName the resource the site's measurements are reported for
     */
    ReportPlanner(ObjectMapper json, String clientName, String resourceName) {
        this.json = json;
        this.clientName = clientName;
        this.resourceName = resourceName;
    }

    Plan plan(JsonNode event, MappedEvent mapped, Predicate<String> done, Instant now,
            Function<MappedEvent.Interval, List<SiteSamples.Sample>> samples) {
        JsonNode descriptors = event.path("reportDescriptors");
        if (mapped.isRefused() || !descriptors.isArray() || descriptors.isEmpty()) {
            return Plan.NONE;
        }
        String eventId = mapped.eventId();
        String programId = event.path("programID").asText();
        List<Due> due = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < descriptors.size(); i++) {
            String where = "event " + eventId + ", reportDescriptor " + i;
            ReportRequest r;
            try {
                r = ReportRequest.of(i, descriptors.get(i));
            } catch (ReportRequest.Unsupported e) {
                unsupported.add(where + ": " + e.getMessage());
                continue;
            }
            List<MappedEvent.Interval> all = mapped.intervals();
            int last = r.startInterval() == -1 ? all.size() - 1 : r.startInterval();
            if (last >= all.size()) {
                unsupported.add(where + ": startInterval " + r.startInterval() + " but the event has " + all.size() + " interval(s)");
                continue;
            }
            int first = r.numIntervals() == -1 ? 0 : Math.max(0, last - r.numIntervals() + 1);
            List<MappedEvent.Interval> selected = all.subList(first, last + 1).stream().filter(MappedEvent.Interval::hasSpan).toList();
            if (selected.isEmpty()) {
                continue;
            }
            int size = r.frequency() != -1 ? r.frequency() : r.numIntervals() != -1 ? r.numIntervals() : selected.size();
            int reports = 0;
            for (int from = 0; from < selected.size() && (r.repeat() == -1 || reports < r.repeat()); from += size, reports++) {
                List<MappedEvent.Interval> batch = selected.subList(from, Math.min(from + size, selected.size()));
                MappedEvent.Interval end = batch.get(batch.size() - 1);
                String key = eventId + "/" + i + "/" + r.measure() + "/" + batch.get(0).id() + "-" + end.id() + "@" + batch.get(0).start();
                if (done.test(key)) {
                    continue;
                }
                if (end.end() == null) {
                    waiting.add(where + " (" + r.measure() + "): waits for interval " + end.id() + ", which has no end");
                    break;
                }
                if (end.end().isAfter(now)) {
                    break; // not due yet, nor the ones after it
                }
                String about = "event " + eventId + ", " + r.about() + ", interval(s) " + batch.get(0).id()
                        + (batch.size() > 1 ? ".." + end.id() : "");
                ArrayNode intervals = json.createArrayNode();
                List<String> gaps = new ArrayList<>();
                for (MappedEvent.Interval iv : batch) {
                    Value v = value(r, iv, samples.apply(iv));
                    if (v.gap() != null) {
                        gaps.add("interval " + iv.id() + ": " + v.gap());
                        continue;
                    }
                    ObjectNode o = intervals.addObject();
                    o.put("id", iv.id());
                    o.putObject("intervalPeriod").put("start", iv.start().toString())
                            .put("duration", Duration.between(iv.start(), iv.end()).toString());
                    o.putArray("payloads").addObject().put("type", r.measure().name()).putArray("values").add(v.value() / r.factor());
                }
                if (intervals.isEmpty()) {
                    skipped.add(new Skipped(key, about + ": nothing measured (" + String.join("; ", gaps) + ")"));
                    continue;
                }
                due.add(new Due(key, about, body(programId, eventId, r, intervals), gaps));
            }
        }
        return new Plan(due, skipped, unsupported, waiting, descriptors.size());
    }

    private ObjectNode body(String programId, String eventId, ReportRequest r, ArrayNode intervals) {
        ObjectNode b = json.createObjectNode();
        b.put("programID", programId).put("eventID", eventId).put("clientName", clientName)
                .put("reportName", EventMapper.abbreviated(clientName) + " " + eventId + " " + r.measure());
        b.putArray("payloadDescriptors").addObject().put("objectType", "REPORT_PAYLOAD_DESCRIPTOR")
                .put("payloadType", r.measure().name()).put("readingType", r.readingType()).put("units", r.units());
        ObjectNode resource = b.putArray("resources").addObject();
        resource.put("resourceName", resourceName);
        resource.set("intervals", intervals);
        return b;
    }

    /**
     * One interval's value in the measure's base unit (W, Wh, percent), or why there is none. {@code in} are the
     * samples from the interval's start to its end, both included: USAGE is the import register's rise from the
     * first to the last of them; the other measures use those before the end. A mean or a peak needs readings over
     * {@link #COVERAGE} of the interval, a DIRECT_READ one in its last tenth (at least the last 30 s).
     */
    record Value(double value, String gap) {

        static Value none(String gap) {
            return new Value(Double.NaN, gap);
        }
    }

    static Value value(ReportRequest r, MappedEvent.Interval iv, List<SiteSamples.Sample> in) {
        Measure m = r.measure();
        if (m == Measure.USAGE) {
            List<SiteSamples.Sample> reg = in.stream().filter(s -> s.importedWh() != null).toList();
            if (reg.size() < 2) {
                return Value.none("no grid meter import register readings in it");
            }
            SiteSamples.Sample a = reg.get(0);
            SiteSamples.Sample b = reg.get(reg.size() - 1);
            Duration span = Duration.between(iv.start(), iv.end());
            Duration covered = Duration.between(a.at(), b.at());
            if (covered.toMillis() < COVERAGE * span.toMillis()) {
                return Value.none("grid meter readings cover " + covered.toSeconds() + " s of its " + span.toSeconds() + " s");
            }
            double wh = b.importedWh() - a.importedWh();
            if (wh < 0) {
                return Value.none("the import register went back by " + (-wh) + " Wh (a meter changed?)");
            }
            return new Value(wh, null);
        }
        Function<SiteSamples.Sample, Double> field = switch (m) {
            case DEMAND -> s -> s.gridWatts() == null ? null : Math.max(0, s.gridWatts());
            case STORAGE_CHARGE_LEVEL -> SiteSamples.Sample::socPercent;
            case STORAGE_USABLE_CAPACITY -> SiteSamples.Sample::capacityWh;
            case STORAGE_MAX_CHARGE_POWER -> SiteSamples.Sample::maxChargeW;
            case STORAGE_MAX_DISCHARGE_POWER -> SiteSamples.Sample::maxDischargeW;
            case USAGE -> throw new IllegalStateException();
        };
        // a moment's value belongs to the interval it falls in, the end to the next one
        List<SiteSamples.Sample> measured = in.stream().filter(s -> s.at().isBefore(iv.end()) && field.apply(s) != null).toList();
        if (measured.isEmpty()) {
            return Value.none(m == Measure.DEMAND ? "no fresh grid meter reading in it"
                    : m == Measure.STORAGE_CHARGE_LEVEL ? "no fresh reading of every battery in it" : "no battery in it");
        }
        Duration span = Duration.between(iv.start(), iv.end());
        SiteSamples.Sample lastOne = measured.get(measured.size() - 1);
        List<Double> values = measured.stream().map(field).toList();
        double v;
        if (r.readingType().equals("DIRECT_READ")) {
            // the reading at the end of the interval: one from long before the end is not it
            Duration late = Duration.between(lastOne.at(), iv.end());
            Duration allowed = span.dividedBy(10).compareTo(SiteSamples.FRESH) > 0 ? span.dividedBy(10) : SiteSamples.FRESH;
            if (late.compareTo(allowed) > 0) {
                return Value.none("its last reading is " + late.toSeconds() + " s before its end");
            }
            v = values.get(values.size() - 1);
        } else {
            // a mean or a peak of part of the interval is not the interval's
            Duration covered = Duration.between(measured.get(0).at(), lastOne.at()).plus(SiteSamples.PERIOD);
            if (covered.toMillis() < COVERAGE * span.toMillis()) {
                return Value.none("readings cover " + Math.min(covered.toSeconds(), span.toSeconds()) + " s of its " + span.toSeconds() + " s");
            }
            v = r.readingType().equals("PEAK") ? values.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                    : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }
        return new Value(v, null);
    }
}

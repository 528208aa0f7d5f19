package org.fusebox.grid.openadr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;

/**
 * Any valid event gives signals that start before they end and capacity limits of at least 0 W, one per
 * payload value; any event with one defect is refused with no signal at all.
 */
class EventMappingProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventMapper mapper = new EventMapper("openadr:p");

    record Payload(String type, List<Double> values) {
    }

    record Interval(boolean ownPeriod, String duration, List<Payload> payloads) {
    }

    record Event(OffsetDateTime start, String unit, List<Interval> intervals) {
    }

    @Property(tries = 300)
    void aValidEventGivesOrderedNonNegativeLimits(@ForAll("events") Event e) {
        ObjectNode event = toJson(e);
        MappedEvent m = mapper.map(event, Map.of());
        assertThat(m.refusal()).as(event.toString()).isNull();
        long expected = e.intervals().stream().filter(i -> !i.duration().equals("PT0S"))
                .flatMap(i -> i.payloads().stream()).mapToLong(p -> p.values().size()).sum();
        assertThat(m.signals()).hasSize((int) expected);
        double factor = switch (e.unit()) {
            case "W" -> 1;
            case "MW" -> 1_000_000;
            default -> 1_000;
        };
        for (GridSignal s : m.signals()) {
            assertThat(s.end() == null || s.start().isBefore(s.end())).as(s.toString()).isTrue();
            if (s.kind().isCapacityLimit()) {
                assertThat(s.value()).isGreaterThanOrEqualTo(0);
            }
            assertThat(s.id()).startsWith("ev-1/");
        }
        double sent = e.intervals().stream().filter(i -> !i.duration().equals("PT0S")).flatMap(i -> i.payloads().stream())
                .flatMap(p -> p.values().stream()).mapToDouble(Double::doubleValue).sum();
        double got = m.signals().stream().filter(s -> s.kind().isCapacityLimit()).mapToDouble(GridSignal::value).sum();
        assertThat(got).isCloseTo(sent * factor, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, sent * factor)));
        assertThat(m.signals()).extracting(GridSignal::kind).allMatch(GridSignalKind::isCapacityLimit);
        assertThat(m.signals()).extracting(GridSignal::id).doesNotHaveDuplicates();
    }

    @Property(tries = 300)
    void anEventWithOneDefectIsRefusedWhole(@ForAll("events") Event e, @ForAll("defects") int defect, @ForAll("indexes") int where) {
        ObjectNode event = toJson(e);
        ArrayNode intervals = (ArrayNode) event.get("intervals");
        ObjectNode interval = (ObjectNode) intervals.get(Math.floorMod(where, intervals.size()));
        ArrayNode payloads = (ArrayNode) interval.get("payloads");
        ObjectNode payload = (ObjectNode) payloads.get(Math.floorMod(where, payloads.size()));
        ArrayNode values = (ArrayNode) payload.get("values");
        switch (defect) {
            case 0 -> event.remove("id");
            case 1 -> values.set(0, JSON.getNodeFactory().numberNode(-0.5));
            case 2 -> values.set(0, JSON.getNodeFactory().textNode("12"));
            case 3 -> ((ObjectNode) event.get("payloadDescriptors").get(payload.get("type").asText().startsWith("IMPORT") ? 0 : 1))
                    .put("units", "KVAR");
            case 4 -> event.with("intervalPeriod").put("duration", "one hour");
            case 5 -> event.with("intervalPeriod").put("start", "2026-12-08T10:00:00");
            case 6 -> interval.put("id", "first");
            case 7 -> values.removeAll();
            case 8 -> event.remove("programID");
            default -> payload.remove("type");
        }
        MappedEvent m = mapper.map(event, Map.of());
        assertThat(m.refusal()).as(event.toString()).isNotNull();
        assertThat(m.signals()).isEmpty();
    }

    @Provide
    Arbitrary<Integer> defects() {
        return Arbitraries.integers().between(0, 9);
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, 20);
    }

    @Provide
    Arbitrary<Event> events() {
        Arbitrary<OffsetDateTime> start = Combinators.combine(
                Arbitraries.longs().between(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond(), Instant.parse("2035-01-01T00:00:00Z").getEpochSecond()),
                Arbitraries.integers().between(-12 * 4, 14 * 4))
                .as((s, q) -> OffsetDateTime.ofInstant(Instant.ofEpochSecond(s), ZoneOffset.ofTotalSeconds(q * 900)));
        Arbitrary<String> duration = Arbitraries.of("PT0S", "PT5M", "PT15M", "PT1H", "P1D", "PT30M", "PT1H30M", "PT7.5S");
        Arbitrary<Payload> payload = Combinators.combine(Arbitraries.of("IMPORT_CAPACITY_LIMIT", "EXPORT_CAPACITY_LIMIT"),
                Arbitraries.doubles().between(0, 100_000).ofScale(3).list().ofMinSize(1).ofMaxSize(4)).as(Payload::new);
        Arbitrary<Interval> interval = Combinators.combine(Arbitraries.of(true, false), duration,
                payload.list().ofMinSize(1).ofMaxSize(2).uniqueElements(Payload::type)).as(Interval::new);
        return Combinators.combine(start, Arbitraries.of("KW", "W", "MW", ""), interval.list().ofMinSize(1).ofMaxSize(6)).as(Event::new);
    }

    private static ObjectNode toJson(Event e) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", "ev-1");
        event.put("programID", "prog");
        ArrayNode descriptors = event.putArray("payloadDescriptors");
        for (String type : List.of("IMPORT_CAPACITY_LIMIT", "EXPORT_CAPACITY_LIMIT")) {
            ObjectNode d = descriptors.addObject().put("payloadType", type);
            if (!e.unit().isEmpty()) {
                d.put("units", e.unit());
            }
        }
        event.putObject("intervalPeriod").put("start", e.start().toString()).put("duration", "PT1H");
        ArrayNode intervals = event.putArray("intervals");
        OffsetDateTime next = e.start();
        int id = 0;
        for (Interval i : e.intervals()) {
            ObjectNode n = intervals.addObject().put("id", id++);
            if (i.ownPeriod()) {
                n.putObject("intervalPeriod").put("start", next.toString()).put("duration", i.duration());
            } else {
                // no period of its own: it takes the event's PT1H after the previous interval
                n.putObject("intervalPeriod").put("start", "0001-01-01T00:00:00Z").put("duration", i.duration());
            }
            ArrayNode payloads = n.putArray("payloads");
            for (Payload p : i.payloads()) {
                ArrayNode values = payloads.addObject().put("type", p.type()).putArray("values");
                p.values().forEach(values::add);
            }
            next = OffsetDateTime.ofInstant(IsoTime.duration(i.duration()).endFrom(next.toInstant()), next.getOffset());
        }
        return event;
    }
}

package org.fusebox.market.entsoe;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.Deque;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.fusebox.api.market.PriceSlot;

/**
 * Reads a day-ahead price response (IEC 62325-451-3 Publication_MarketDocument, or an
 * Acknowledgement_MarketDocument) with StAX, by local element names so that every 7.x version of the
 * namespace is read the same. The whole document is checked before anything is returned.
 */
final class A44Parser {

    static final String PUBLICATION_NS = "urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:";
    static final String NO_DATA_REASON = "999";

    private final XMLInputFactory factory;

    A44Parser() {
        factory = XMLInputFactory.newFactory();
        // a price document has no DTD; refusing one also shuts out entity expansion attacks
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    /** One {@code Period} as read. */
    record RawPeriod(Instant start, Instant end, Duration resolution, SortedMap<Integer, BigDecimal> points) {
    }

    /** One {@code TimeSeries} as read; {@code index} counts from 1 in document order. */
    record RawSeries(int index, String mRid, String inDomain, String outDomain, String currency, String unit,
            Integer sequencePosition, String curveType, List<RawPeriod> periods) {

        String label() {
            return "TimeSeries #" + index + (mRid == null ? "" : " (mRID " + mRid + ")");
        }
    }

    ParsedDocument parse(InputStream in, String zone) throws DocumentRefused {
        try {
            XMLStreamReader r = factory.createXMLStreamReader(in);
            try {
                while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                    // skip prolog and comments
                }
                if (!r.isStartElement()) {
                    throw new DocumentRefused("empty response: no XML root element");
                }
                String root = r.getLocalName();
                if ("Acknowledgement_MarketDocument".equals(root)) {
                    return readAcknowledgement(r);
                }
                if (!"Publication_MarketDocument".equals(root)) {
                    throw new DocumentRefused("unexpected document " + root + ", expected Publication_MarketDocument");
                }
                String ns = r.getNamespaceURI();
                if (ns == null || !ns.startsWith(PUBLICATION_NS)) {
                    throw new DocumentRefused("Publication_MarketDocument in namespace '" + ns + "', expected " + PUBLICATION_NS + "x");
                }
                List<RawSeries> series = readPublication(r);
                return new ParsedDocument.Prices(SeriesChoice.choose(series, zone), series.size() + " TimeSeries read");
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new DocumentRefused("malformed or truncated XML: " + firstLine(e.getMessage()), e);
        }
    }

    private static ParsedDocument readAcknowledgement(XMLStreamReader r) throws XMLStreamException, DocumentRefused {
        Deque<String> path = new ArrayDeque<>();
        path.push(r.getLocalName());
        StringBuilder text = new StringBuilder();
        List<String> codes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                path.push(r.getLocalName());
                text.setLength(0);
            } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                text.append(r.getText());
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                String name = path.pop();
                if (!path.isEmpty() && "Reason".equals(path.peek())) {
                    if ("code".equals(name)) {
                        codes.add(text.toString().trim());
                    } else if ("text".equals(name)) {
                        texts.add(text.toString().trim());
                    }
                }
                text.setLength(0);
            }
        }
        String said = "acknowledgement, reason " + String.join(",", codes) + (texts.isEmpty() ? "" : ": " + String.join("; ", texts));
        if (!codes.isEmpty() && codes.stream().allMatch(NO_DATA_REASON::equals)) {
            return new ParsedDocument.NoData(said);
        }
        throw new DocumentRefused("the platform refused the request: " + said);
    }

    private static List<RawSeries> readPublication(XMLStreamReader r) throws XMLStreamException, DocumentRefused {
        Deque<String> path = new ArrayDeque<>();
        path.push(r.getLocalName());
        StringBuilder text = new StringBuilder();
        List<RawSeries> done = new ArrayList<>();
        SeriesBuilder series = null;
        PeriodBuilder period = null;
        Integer pointPosition = null;
        BigDecimal pointPrice = null;
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                if ("TimeSeries".equals(name) && path.size() == 1) {
                    series = new SeriesBuilder(done.size() + 1);
                } else if ("Period".equals(name) && series != null && path.size() == 2) {
                    period = new PeriodBuilder();
                } else if ("Point".equals(name) && period != null) {
                    pointPosition = null;
                    pointPrice = null;
                }
                path.push(name);
                text.setLength(0);
            } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                text.append(r.getText());
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                String name = path.pop();
                String parent = path.peek();
                String value = text.toString().trim();
                text.setLength(0);
                if (series == null) {
                    continue;
                }
                String where = series.label();
                if ("TimeSeries".equals(name) && path.size() == 1) {
                    done.add(series.build());
                    series = null;
                } else if ("Period".equals(name) && period != null && "TimeSeries".equals(parent)) {
                    series.periods.add(period.build(where));
                    period = null;
                } else if ("TimeSeries".equals(parent)) {
                    series.field(name, value);
                } else if (period != null && "timeInterval".equals(parent) && "Period".equals(path.stream().skip(1).findFirst().orElse(null))) {
                    if ("start".equals(name)) {
                        period.start = instant(value, where);
                    } else if ("end".equals(name)) {
                        period.end = instant(value, where);
                    }
                } else if (period != null && "resolution".equals(name) && "Period".equals(parent)) {
                    period.resolution = duration(value, where);
                } else if (period != null && "Point".equals(parent)) {
                    if ("position".equals(name)) {
                        pointPosition = integer(value, where + " Point position");
                    } else if ("price.amount".equals(name)) {
                        pointPrice = decimal(value, where);
                    }
                } else if (period != null && "Point".equals(name)) {
                    if (pointPosition == null || pointPrice == null) {
                        throw new DocumentRefused(where + ": a Point without position or price.amount");
                    }
                    if (period.points.put(pointPosition, pointPrice) != null) {
                        throw new DocumentRefused(where + ": position " + pointPosition + " appears twice");
                    }
                }
            }
        }
        if (done.isEmpty()) {
            throw new DocumentRefused("Publication_MarketDocument without any TimeSeries");
        }
        return done;
    }

    private static final class SeriesBuilder {
        final int index;
        String mRid;
        String inDomain;
        String outDomain;
        String currency;
        String unit;
        Integer sequencePosition;
        String curveType;
        final List<RawPeriod> periods = new ArrayList<>();

        SeriesBuilder(int index) {
            this.index = index;
        }

        String label() {
            return "TimeSeries #" + index + (mRid == null ? "" : " (mRID " + mRid + ")");
        }

        void field(String name, String value) throws DocumentRefused {
            switch (name) {
                case "mRID" -> mRid = value;
                case "in_Domain.mRID" -> inDomain = value;
                case "out_Domain.mRID" -> outDomain = value;
                case "currency_Unit.name" -> currency = value;
                case "price_Measure_Unit.name" -> unit = value;
                case "classificationSequence_AttributeInstanceComponent.position" ->
                        sequencePosition = integer(value, label() + " classificationSequence position");
                case "curveType" -> curveType = value;
                default -> {
                    // other fields (businessType, auction.type, ...) do not change the prices
                }
            }
        }

        RawSeries build() {
            periods.sort(Comparator.comparing(RawPeriod::start));
            return new RawSeries(index, mRid, inDomain, outDomain, currency, unit, sequencePosition, curveType, List.copyOf(periods));
        }
    }

    private static final class PeriodBuilder {
        Instant start;
        Instant end;
        Duration resolution;
        final SortedMap<Integer, BigDecimal> points = new TreeMap<>();

        RawPeriod build(String where) throws DocumentRefused {
            if (start == null || end == null || resolution == null) {
                throw new DocumentRefused(where + ": a Period without timeInterval start/end or resolution");
            }
            return new RawPeriod(start, end, resolution, points);
        }
    }

    static Instant instant(String value, String where) throws DocumentRefused {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new DocumentRefused(where + ": '" + value + "' is not a UTC time such as 2025-10-01T22:00Z");
        }
    }

    private static Duration duration(String value, String where) throws DocumentRefused {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new DocumentRefused(where + ": resolution '" + value + "' is not a duration such as PT15M");
        }
    }

    private static int integer(String value, String where) throws DocumentRefused {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new DocumentRefused(where + ": '" + value + "' is not a whole number");
        }
    }

    private static BigDecimal decimal(String value, String where) throws DocumentRefused {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new DocumentRefused(where + ": price.amount '" + value + "' is not a number");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    /** Turns the chosen series' periods into slots; used by {@link SeriesChoice}. */
    static List<PriceSlot> slotsOf(RawSeries s, Currency currency) throws DocumentRefused {
        PeriodExpander.CurveType curve;
        if (s.curveType() == null || "A01".equals(s.curveType())) {
            curve = PeriodExpander.CurveType.A01;
        } else if ("A03".equals(s.curveType())) {
            curve = PeriodExpander.CurveType.A03;
        } else {
            throw new DocumentRefused(s.label() + ": curveType " + s.curveType() + " is not A01 or A03");
        }
        List<PriceSlot> slots = new ArrayList<>();
        for (RawPeriod p : s.periods()) {
            try {
                slots.addAll(PeriodExpander.expand(p.start(), p.end(), p.resolution(), curve, p.points(), currency));
            } catch (DocumentRefused e) {
                throw new DocumentRefused(s.label() + ": " + e.getMessage());
            }
        }
        return slots;
    }
}

package org.fusebox.market.entsoe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fusebox.market.entsoe.Documents.BE;
import static org.fusebox.market.entsoe.Documents.DE_LU;
import static org.fusebox.market.entsoe.Documents.NS_7_0;
import static org.fusebox.market.entsoe.Documents.NS_7_3;
import static org.fusebox.market.entsoe.Documents.fullPeriod;
import static org.fusebox.market.entsoe.Documents.period;
import static org.fusebox.market.entsoe.Documents.publication;
import static org.fusebox.market.entsoe.Documents.series;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.junit.jupiter.api.Test;

/** Reading the platform's documents: every quirk, every refusal. */
class A44ParserTest {

    static final Duration QH = Duration.ofMinutes(15);
    static final Duration HH = Duration.ofMinutes(30);
    static final Duration H = Duration.ofHours(1);
    // delivery day 1 Oct 2025 in CEST, the first day of 15-minute SDAC
    static final Instant D0 = Instant.parse("2025-09-30T22:00:00Z");
    static final Instant D1 = Instant.parse("2025-10-01T22:00:00Z");

    final A44Parser parser = new A44Parser();

    ParsedDocument parse(String xml, String zone) throws DocumentRefused {
        return parser.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), zone);
    }

    List<PriceSlot> slots(String xml, String zone) throws DocumentRefused {
        return ((ParsedDocument.Prices) parse(xml, zone)).slots();
    }

    static BigDecimal price(PriceSlot s) {
        return s.price().perMegawattHour().amount();
    }

    @Test
    void aFullQuarterHourDayInEitherNamespaceVersion() throws Exception {
        for (String ns : List.of(NS_7_0, NS_7_3)) {
            List<PriceSlot> s = slots(publication(ns, D0, D1, series("1", BE, 1, fullPeriod(D0, D1, QH, 80))), BE);
            assertThat(s).hasSize(96);
            assertThat(s.get(0).start()).isEqualTo(D0);
            assertThat(s.get(95).end()).isEqualTo(D1);
            assertThat(price(s.get(0))).isEqualByComparingTo("80.01");
            assertThat(s.get(0).price().currency().getCurrencyCode()).isEqualTo("EUR");
            assertThat(s.get(0).price().perKilowattHour()).isCloseTo(0.08001, org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void resolutionsOf15_30And60MinutesInOneDocument() throws Exception {
        Instant a = D0.plus(Duration.ofHours(8));
        Instant b = a.plus(Duration.ofHours(8));
        String doc = publication(NS_7_3, D0, D1, series("1", BE, 1,
                fullPeriod(D0, a, H, 50), fullPeriod(a, b, HH, 60), fullPeriod(b, D1, QH, 70)));
        List<PriceSlot> s = slots(doc, BE);
        assertThat(s).hasSize(8 + 16 + 32);
        assertContiguous(s, D0, D1);
        assertThat(s.get(7).length()).isEqualTo(H);
        assertThat(s.get(8).length()).isEqualTo(HH);
        assertThat(s.get(8).start()).isEqualTo(a);
        assertThat(s.get(24).length()).isEqualTo(QH);
        assertThat(price(s.get(24))).isEqualByComparingTo("70.01");
    }

    @Test
    void a03RepeatsThePreviousPriceAndFillsTrailingPositionsFromTheInterval() throws Exception {
        // 96 positions, points only at 1, 2 and 50: 3..49 repeat 2, 51..96 repeat 50
        String doc = publication(NS_7_3, D0, D1, series("1", BE, 1, period(D0, D1, QH, "1", "10.5", "2", "-3.25", "50", "99")));
        List<PriceSlot> s = slots(doc, BE);
        assertThat(s).hasSize(96);
        assertContiguous(s, D0, D1);
        assertThat(price(s.get(0))).isEqualByComparingTo("10.5");
        assertThat(price(s.get(1))).isEqualByComparingTo("-3.25");
        assertThat(price(s.get(48))).isEqualByComparingTo("-3.25");
        assertThat(price(s.get(49))).isEqualByComparingTo("99");
        assertThat(price(s.get(95))).isEqualByComparingTo("99");
    }

    @Test
    void a01NeedsEveryPosition() throws Exception {
        String full = publication(NS_7_0, D0, D1, series("1", BE, "EUR", 1, "A01", fullPeriod(D0, D1, H, 40)));
        assertThat(slots(full, BE)).hasSize(24);
        String gap = publication(NS_7_0, D0, D1, series("1", BE, "EUR", 1, "A01", period(D0, D1, H, "1", "40", "3", "41")));
        assertThatThrownBy(() -> parse(gap, BE)).isInstanceOf(DocumentRefused.class)
                .hasMessageContaining("A01").hasMessageContaining("2 points for 24 positions");
    }

    @Test
    void daylightSavingDaysHave92And100QuarterHours() throws Exception {
        Instant springStart = Instant.parse("2025-03-29T23:00:00Z");
        Instant springEnd = Instant.parse("2025-03-30T22:00:00Z");
        Instant autumnStart = Instant.parse("2025-10-25T22:00:00Z");
        Instant autumnEnd = Instant.parse("2025-10-26T23:00:00Z");
        assertThat(slots(publication(NS_7_3, springStart, springEnd, series("1", BE, 1, period(springStart, springEnd, QH, "1", "5"))), BE))
                .hasSize(92);
        List<PriceSlot> autumn = slots(publication(NS_7_3, autumnStart, autumnEnd, series("1", BE, 1, fullPeriod(autumnStart, autumnEnd, QH, 7))), BE);
        assertThat(autumn).hasSize(100);
        assertContiguous(autumn, autumnStart, autumnEnd);
    }

    @Test
    void theSdacSeriesIsChosenByClassificationSequencePosition() throws Exception {
        // DE-LU: position 2 carries the other auction, with other prices, listed first
        String doc = publication(NS_7_3, D0, D1,
                series("1", DE_LU, 2, fullPeriod(D0, D1, QH, 300)),
                series("2", DE_LU, 1, fullPeriod(D0, D1, QH, 90)));
        List<PriceSlot> s = slots(doc, DE_LU);
        assertThat(s).hasSize(96);
        assertThat(s).allSatisfy(slot -> assertThat(price(slot)).isBetween(new BigDecimal("90"), new BigDecimal("91")));
    }

    @Test
    void oneSeriesPerDayIsNotAmbiguous() throws Exception {
        Instant d2 = D1.plus(Duration.ofDays(1));
        String doc = publication(NS_7_3, D0, d2, series("1", BE, null, fullPeriod(D0, D1, QH, 80)),
                series("2", BE, null, fullPeriod(D1, d2, H, 81)));
        List<PriceSlot> s = slots(doc, BE);
        assertThat(s).hasSize(96 + 24);
        assertContiguous(s, D0, d2);
    }

    @Test
    void ambiguousChoicesAreRefusedNotGuessed() {
        String twoUnnamed = publication(NS_7_3, D0, D1, series("1", DE_LU, null, fullPeriod(D0, D1, QH, 80)),
                series("2", DE_LU, null, fullPeriod(D0, D1, QH, 300)));
        assertThatThrownBy(() -> parse(twoUnnamed, DE_LU)).hasMessageContaining("ambiguous")
                .hasMessageContaining("neither names its auction");
        String twoFirst = publication(NS_7_3, D0, D1, series("1", DE_LU, 1, fullPeriod(D0, D1, QH, 80)),
                series("2", DE_LU, 1, fullPeriod(D0, D1, QH, 300)));
        assertThatThrownBy(() -> parse(twoFirst, DE_LU)).hasMessageContaining("ambiguous");
        String mixed = publication(NS_7_3, D0, D1, series("1", DE_LU, 1, fullPeriod(D0, D1, QH, 80)),
                series("2", DE_LU, null, fullPeriod(D0, D1, QH, 300)));
        assertThatThrownBy(() -> parse(mixed, DE_LU)).hasMessageContaining("TimeSeries #2")
                .hasMessageContaining("cannot tell whether it is the SDAC auction");
        String onlySecond = publication(NS_7_3, D0, D1, series("1", DE_LU, 2, fullPeriod(D0, D1, QH, 300)));
        assertThatThrownBy(() -> parse(onlySecond, DE_LU)).hasMessageContaining("no SDAC series")
                .hasMessageContaining("not used in its place");
    }

    @Test
    void anAcknowledgementWithReason999IsNoDataNotAnError() throws Exception {
        ParsedDocument doc = parse(Documents.noData(), BE);
        assertThat(doc).isInstanceOf(ParsedDocument.NoData.class);
        assertThat(((ParsedDocument.NoData) doc).reason()).contains("999").contains("No matching data");
        assertThatThrownBy(() -> parse(Documents.acknowledgement("A59", "Invalid parameter periodEnd"), BE))
                .hasMessageContaining("refused the request").hasMessageContaining("A59");
    }

    @Test
    void malformedOrTruncatedXmlIsRefused() {
        String doc = publication(NS_7_3, D0, D1, series("1", BE, 1, fullPeriod(D0, D1, QH, 80)));
        assertThatThrownBy(() -> parse(doc.substring(0, doc.length() / 2), BE)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> parse("<Publication_MarketDocument xmlns=\"" + NS_7_3 + "\"><TimeSeries></Period>", BE)).hasMessageContaining("malformed");
        assertThatThrownBy(() -> parse("", BE)).isInstanceOf(DocumentRefused.class);
        assertThatThrownBy(() -> parse("<html><body>Service unavailable</body></html>", BE)).hasMessageContaining("unexpected document html");
        assertThatThrownBy(() -> parse(doc.replace(NS_7_3, "urn:example:other"), BE)).hasMessageContaining("namespace");
        assertThatThrownBy(() -> parse(publication(NS_7_3, D0, D1), BE)).hasMessageContaining("without any TimeSeries");
    }

    @Test
    void entitiesAreNotExpanded() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Publication_MarketDocument xmlns=\"" + NS_7_3 + "\"><mRID>&x;</mRID></Publication_MarketDocument>";
        assertThatThrownBy(() -> parse(bomb, BE)).isInstanceOf(DocumentRefused.class);
    }

    @Test
    void wrongZoneUnitCurrencyOrPositionsAreRefused() {
        String good = publication(NS_7_3, D0, D1, series("1", BE, 1, period(D0, D1, H, "1", "40", "2", "41")));
        assertThatThrownBy(() -> parse(good, DE_LU)).hasMessageContaining("asked for zone " + DE_LU);
        assertThatThrownBy(() -> parse(good.replace(">MWH<", ">KWH<"), BE)).hasMessageContaining("expected MWH");
        assertThatThrownBy(() -> parse(good.replace(">EUR<", ">EURO<"), BE)).hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> parse(good.replace("<position>2</position>", "<position>25</position>"), BE))
                .hasMessageContaining("positions 1..24");
        assertThatThrownBy(() -> parse(good.replace("<position>2</position>", "<position>1</position>"), BE))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> parse(good.replace("<position>1</position>", "<position>3</position>"), BE))
                .hasMessageContaining("no point at position 1");
        assertThatThrownBy(() -> parse(good.replace(">41<", ">4l<"), BE)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> parse(good.replace(">PT60M<", ">PT7M<"), BE)).hasMessageContaining("whole number of PT7M");
        assertThatThrownBy(() -> parse(good.replace(">A03<", ">A02<"), BE)).hasMessageContaining("curveType A02");
        String mixedCurrency = publication(NS_7_3, D0, D1.plus(Duration.ofDays(1)),
                series("1", BE, "EUR", 1, "A03", period(D0, D1, H, "1", "40")),
                series("2", BE, "PLN", 1, "A03", period(D1, D1.plus(Duration.ofDays(1)), H, "1", "40")));
        assertThatThrownBy(() -> parse(mixedCurrency, BE)).hasMessageContaining("refusing to mix");
    }

    static void assertContiguous(List<PriceSlot> s, Instant start, Instant end) {
        assertThat(s.get(0).start()).isEqualTo(start);
        for (int i = 1; i < s.size(); i++) {
            assertThat(s.get(i).start()).isEqualTo(s.get(i - 1).end());
        }
        assertThat(s.get(s.size() - 1).end()).isEqualTo(end);
        new PriceCurve(s);
    }
}

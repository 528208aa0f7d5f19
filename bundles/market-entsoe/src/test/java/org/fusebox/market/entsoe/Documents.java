package org.fusebox.market.entsoe;

import java.time.Duration;
import java.time.Instant;

/**
 * Builds responses in the platform's format (IEC 62325-451-3 Publication_MarketDocument for A44,
 * IEC 62325-451-1 Acknowledgement_MarketDocument), written from the published schema's element names.
 */
final class Documents {

    static final String BE = "10YBE----------2";
    static final String DE_LU = "10Y1001A1001A82H";
    static final String NS_7_0 = "urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:0";
    static final String NS_7_3 = "urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:3";

    private Documents() {
    }

    static String publication(String ns, Instant start, Instant end, String... series) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <Publication_MarketDocument xmlns="%s">
                  <mRID>8b1f3c0e5d7a4b2c9e6f1a3d5b7c9e0f</mRID>
                  <revisionNumber>1</revisionNumber>
                  <type>A44</type>
                  <sender_MarketParticipant.mRID codingScheme="A01">10X1001A1001A450</sender_MarketParticipant.mRID>
                  <sender_MarketParticipant.marketRole.type>A32</sender_MarketParticipant.marketRole.type>
                  <receiver_MarketParticipant.mRID codingScheme="A01">10X1001A1001A450</receiver_MarketParticipant.mRID>
                  <receiver_MarketParticipant.marketRole.type>A33</receiver_MarketParticipant.marketRole.type>
                  <createdDateTime>2025-10-25T11:02:17Z</createdDateTime>
                  <period.timeInterval>
                    <start>%s</start>
                    <end>%s</end>
                  </period.timeInterval>
                %s</Publication_MarketDocument>
                """.formatted(ns, utc(start), utc(end), String.join("", series));
    }

    /** A TimeSeries; {@code position} null leaves classificationSequence out. */
    static String series(String mRid, String zone, String currency, Integer position, String curveType, String... periods) {
        return """
                  <TimeSeries>
                    <mRID>%s</mRID>
                    <auction.type>A01</auction.type>
                    <businessType>A62</businessType>
                    <in_Domain.mRID codingScheme="A01">%s</in_Domain.mRID>
                    <out_Domain.mRID codingScheme="A01">%s</out_Domain.mRID>
                    <contract_MarketAgreement.type>A01</contract_MarketAgreement.type>
                    <currency_Unit.name>%s</currency_Unit.name>
                    <price_Measure_Unit.name>MWH</price_Measure_Unit.name>
                %s    <curveType>%s</curveType>
                %s  </TimeSeries>
                """.formatted(mRid, zone, zone, currency,
                position == null ? "" : "    <classificationSequence_AttributeInstanceComponent.position>" + position
                        + "</classificationSequence_AttributeInstanceComponent.position>\n",
                curveType, String.join("", periods));
    }

    static String series(String mRid, String zone, Integer position, String... periods) {
        return series(mRid, zone, "EUR", position, "A03", periods);
    }

    /** A Period; {@code points} alternate position, price: "1", "85.10", "3", "90". */
    static String period(Instant start, Instant end, Duration resolution, String... points) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < points.length; i += 2) {
            sb.append("        <Point>\n          <position>").append(points[i]).append("</position>\n          <price.amount>")
                    .append(points[i + 1]).append("</price.amount>\n        </Point>\n");
        }
        return """
                    <Period>
                      <timeInterval>
                        <start>%s</start>
                        <end>%s</end>
                      </timeInterval>
                      <resolution>%s</resolution>
                %s    </Period>
                """.formatted(utc(start), utc(end), "PT" + resolution.toMinutes() + "M", sb);
    }

    /** A Period with a point at every position, the price = base + position / 100. */
    static String fullPeriod(Instant start, Instant end, Duration resolution, int base) {
        long n = Duration.between(start, end).dividedBy(resolution);
        String[] points = new String[(int) n * 2];
        for (int i = 0; i < n; i++) {
            points[2 * i] = Integer.toString(i + 1);
            points[2 * i + 1] = base + "." + String.format("%02d", (i + 1) % 100);
        }
        return period(start, end, resolution, points);
    }

    static String acknowledgement(String code, String text) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Acknowledgement_MarketDocument xmlns="urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:0">
                  <mRID>3f2a9c1e-6b7d-4e0f-8a1c-2d3e4f5a6b7c</mRID>
                  <createdDateTime>2025-10-25T10:30:05Z</createdDateTime>
                  <sender_MarketParticipant.mRID codingScheme="A01">10X1001A1001A450</sender_MarketParticipant.mRID>
                  <sender_MarketParticipant.marketRole.type>A32</sender_MarketParticipant.marketRole.type>
                  <receiver_MarketParticipant.mRID codingScheme="A01">10X1001A1001A39I</receiver_MarketParticipant.mRID>
                  <receiver_MarketParticipant.marketRole.type>A39</receiver_MarketParticipant.marketRole.type>
                  <received_MarketDocument.createdDateTime>2025-10-25T10:30:05Z</received_MarketDocument.createdDateTime>
                  <Reason>
                    <code>%s</code>
                    <text>%s</text>
                  </Reason>
                </Acknowledgement_MarketDocument>
                """.formatted(code, text);
    }

    static String noData() {
        return acknowledgement("999", "No matching data found for Data item Day-ahead Prices [12.1.D] (10YBE----------2, "
                + "10YBE----------2) and interval 2025-10-25T22:00:00.000Z/2025-10-26T23:00:00.000Z.");
    }

    /** The ISO form the platform writes, minutes without seconds: 2025-10-25T22:00Z. */
    static String utc(Instant t) {
        return t.toString().replace(":00Z", "Z");
    }
}

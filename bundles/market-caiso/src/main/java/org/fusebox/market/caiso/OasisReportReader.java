package org.fusebox.market.caiso;

import java.util.Locale;
import java.util.Map;

/**
 * Turns the body of a SingleZip answer into a report: the ZIP holds either the CSV or an XML error
 * report (OASIS answers HTTP 200 either way). "No data" (ERR_CODE 1000) is {@link OasisReport.NoData};
 * any other error report, a mix of both, or more than one CSV is refused with its reason.
 */
final class OasisReportReader {

    private final OasisCsvParser csv;

    OasisReportReader(String node) {
        this.csv = new OasisCsvParser(node);
    }

    OasisReport read(byte[] body) throws ReportRefused {
        if (!OasisZip.looksLikeZip(body) && body.length > 0 && body[0] == '<') {
            // an error report not wrapped in a ZIP
            return fromError("the answer", body);
        }
        Map<String, byte[]> members = OasisZip.members(body);
        String csvName = null;
        String xmlName = null;
        for (String name : members.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".csv")) {
                if (csvName != null) {
                    throw new ReportRefused("the ZIP holds two CSV files (" + csvName + ", " + name + ") for one node");
                }
                csvName = name;
            } else if (lower.endsWith(".xml")) {
                xmlName = name;
            }
        }
        if (csvName != null && xmlName != null) {
            throw new ReportRefused("the ZIP holds both a CSV and an XML report (" + xmlName + ")");
        }
        if (xmlName != null) {
            return fromError(xmlName, members.get(xmlName));
        }
        if (csvName == null) {
            throw new ReportRefused("the ZIP holds neither a CSV nor an XML report: " + members.keySet());
        }
        return csv.parse(csvName, members.get(csvName));
    }

    private static OasisReport fromError(String member, byte[] xml) throws ReportRefused {
        OasisReport.NoData e = OasisErrorReport.read(member, xml);
        if (OasisErrorReport.NO_DATA.equals(e.code())) {
            return e;
        }
        throw new ReportRefused("OASIS error " + e.code() + " (" + member + "): " + e.description());
    }
}

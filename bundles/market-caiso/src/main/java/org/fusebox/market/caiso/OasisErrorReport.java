package org.fusebox.market.caiso;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The XML file OASIS puts in the ZIP instead of a CSV when it has nothing to give (still HTTP 200):
 * an OASISReport whose ERROR element carries ERR_CODE and ERR_DESC. Read with StAX, no DTD, no entities.
 */
final class OasisErrorReport {

    /** "No data returned for the specified selection": the day is not published (yet). */
    static final String NO_DATA = "1000";

    private OasisErrorReport() {
    }

    /** The report's code and description; refused when the file is not an error report. */
    static OasisReport.NoData read(String member, byte[] xml) throws ReportRefused {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        String code = null;
        String desc = null;
        try {
            XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) {
                        String name = r.getLocalName();
                        if ("ERR_CODE".equals(name) && code == null) {
                            code = r.getElementText().trim();
                        } else if ("ERR_DESC".equals(name) && desc == null) {
                            desc = r.getElementText().trim();
                        }
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new ReportRefused(member + " in the ZIP is not well-formed XML: " + e.getMessage(), e);
        }
        if (code == null) {
            throw new ReportRefused(member + " in the ZIP has no ERR_CODE: not an OASIS error report");
        }
        return new OasisReport.NoData(code, desc == null ? "" : desc);
    }
}

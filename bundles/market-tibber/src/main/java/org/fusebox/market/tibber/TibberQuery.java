package org.fusebox.market.tibber;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one GraphQL request this feed sends: every home's id and time zone, and its prices for today and tomorrow. */
final class TibberQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TibberQuery() {
    }

    static String text(Resolution resolution) {
        String fields = "{ total energy tax startsAt currency level }";
        return "{ viewer { homes { id timeZone currentSubscription { priceInfo(resolution: " + resolution.name()
                + ") { today " + fields + " tomorrow " + fields + " } } } } }";
    }

    /** The POST body: {@code {"query": "..."}}. */
    static byte[] body(Resolution resolution) {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", text(resolution));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.fusebox.rest;

import java.util.Map;

/**
 * A status, a JSON body and any extra headers; kept apart from the servlet so the routing can be tested
 * without a container.
 */
record ApiResponse(int status, String body, Map<String, String> headers) {

    ApiResponse {
        headers = Map.copyOf(headers);
    }
}

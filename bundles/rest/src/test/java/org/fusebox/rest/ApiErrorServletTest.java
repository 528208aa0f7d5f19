package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ApiErrorServletTest {

    @Test
    void aPathNoServletServesSaysWhereTheApiIs() {
        assertThat(ApiErrorServlet.message(404, "/fusebox/api/v2/site"))
                .startsWith("no such resource: /fusebox/api/v2/site; the API is at /fusebox/api/v1 (/health");
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 405, 413, 431, 500, 502, 503, 418 })
    void everyStatusHasAMessageOfOurOwn(int status) {
        assertThat(ApiErrorServlet.message(status, "/x")).isNotBlank().doesNotContain("Exception").doesNotContain("jetty");
    }
}

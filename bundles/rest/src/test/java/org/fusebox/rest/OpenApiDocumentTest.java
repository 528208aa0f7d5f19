package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusebox.rest.view.ApiJson;
import org.junit.jupiter.api.Test;

/** The OpenAPI document served at /openapi.yaml names exactly the routes this router answers, and no others of its own. */
class OpenApiDocumentTest {

    static final String PREFIX = "/fusebox/api/v1";
    /** Paths below the prefix that other bundles serve (their own servlets). */
    static final List<String> OTHER_BUNDLES = List.of("/auth/", "/history", "/stream", "/configurations", "/snapshots", "/features", "/operations");

    static Set<String> documentedPaths() {
        Matcher m = Pattern.compile("(?m)^  (/\\S+):\\s*$").matcher(ApiRouter.openApiDocument());
        Set<String> paths = new TreeSet<>();
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }

    @Test
    void everyRouteOfTheRouterIsDocumentedAndEveryDocumentedPathOfItsOwnIsARoute() {
        Set<String> own = new TreeSet<>();
        for (String p : documentedPaths()) {
            if (p.startsWith(PREFIX)) {
                String below = p.substring(PREFIX.length());
                if (OTHER_BUNDLES.stream().noneMatch(below::startsWith)) {
                    own.add(below);
                }
            }
        }
        assertThat(own).containsExactlyInAnyOrderElementsOf(ApiRouter.ROUTES);
    }

    @Test
    void theDocumentAlsoDescribesTheOtherBundlesEndpoints() {
        assertThat(documentedPaths()).contains("/fusebox/metrics", "/fusebox/api/v1/history", "/fusebox/api/v1/history/series",
                "/fusebox/api/v1/auth/login", "/fusebox/api/v1/auth/logout", "/fusebox/api/v1/auth/me", "/fusebox/api/v1/auth/setup",
                "/fusebox/api/v1/auth/tokens", "/fusebox/api/v1/auth/tokens/{id}");
        assertThat(ApiRouter.openApiDocument()).startsWith("openapi: 3.0.3");
    }

    @Test
    void servedAsYamlOnGetAndRefusedOnPost() {
        ApiRouter router = new ApiRouter(new FakeSources(), ApiJson.newMapper());
        ApiResponse get = router.handle("GET", "/openapi.yaml");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.headers()).containsEntry("Content-Type", "application/yaml; charset=utf-8");
        assertThat(get.body()).contains("/fusebox/api/v1/site:");
        assertThat(router.handle("POST", "/openapi.yaml").status()).isEqualTo(405);
    }
}

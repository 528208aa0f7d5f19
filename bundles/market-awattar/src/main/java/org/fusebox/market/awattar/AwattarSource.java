package org.fusebox.market.awattar;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;
import org.fusebox.market.support.HttpGet;
import org.fusebox.market.support.PriceSource;

/** {@code GET {baseUrl}?start=<epoch ms>&end=<epoch ms>}: no account, no token. */
final class AwattarSource implements PriceSource {

    /** Two days at 15 minutes are about 20 kB. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final AwattarSettings settings;
    private final HttpGet http;
    private final AwattarParser parser = new AwattarParser();

    AwattarSource(AwattarSettings settings) {
        this.settings = settings;
        this.http = HttpGet.builder().connectTimeout(settings.connectTimeout()).requestTimeout(settings.requestTimeout())
                .maxBodyBytes(MAX_BODY_BYTES).build();
    }

    URI uri(Instant from, Instant to) {
        return URI.create(settings.baseUrl() + "?start=" + from.toEpochMilli() + "&end=" + to.toEpochMilli());
    }

    @Override
    public FetchResult fetch(Instant from, Instant to) throws FeedException, InterruptedException {
        HttpGet.Response r = http.get(uri(from, to), Map.of("Accept", "application/json"));
        return parser.parse(r.body(), from, to);
    }
}

package org.fusebox.market.energycharts;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;
import org.fusebox.market.support.HttpGet;
import org.fusebox.market.support.PriceSource;

/**
 * {@code GET {baseUrl}?bzn=<zone>&start=<today>&end=<the day after tomorrow>} (days in the market zone):
 * no account, no token. The end day is one past the interval so that tomorrow is in the answer whether
 * the API reads {@code end} as inclusive or exclusive; what lies outside the interval is left out. A 404
 * is the API's "no data" for days not published yet.
 */
final class EnergyChartsSource implements PriceSource {

    /** Two days at 15 minutes are about 10 kB. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final EnergyChartsSettings settings;
    private final HttpGet http;
    private final EnergyChartsParser parser = new EnergyChartsParser();

    EnergyChartsSource(EnergyChartsSettings settings) {
        this.settings = settings;
        this.http = HttpGet.builder().connectTimeout(settings.connectTimeout()).requestTimeout(settings.requestTimeout())
                .maxBodyBytes(MAX_BODY_BYTES).build();
    }

    URI uri(Instant from, Instant to) {
        LocalDate first = from.atZone(settings.marketZone()).toLocalDate();
        LocalDate last = to.atZone(settings.marketZone()).toLocalDate();
        return URI.create(settings.baseUrl() + "?bzn=" + URLEncoder.encode(settings.biddingZone(), StandardCharsets.UTF_8)
                + "&start=" + first + "&end=" + last);
    }

    @Override
    public FetchResult fetch(Instant from, Instant to) throws FeedException, InterruptedException {
        HttpGet.Response r = http.exchange(uri(from, to), Map.of("Accept", "application/json"));
        if (r.status() == 404) {
            return FetchResult.noData("HTTP 404: no data for " + settings.biddingZone() + " yet");
        }
        if (r.status() / 100 != 2) {
            throw http.refusal(r);
        }
        return parser.parse(r.body(), from, to);
    }
}

package org.fusebox.market.entsoe;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;
import org.fusebox.market.support.HttpGet;
import org.fusebox.market.support.PriceSource;

/**
 * One GET of day-ahead prices. The token travels only in the query string and never appears in a
 * message this class produces: every reason is built from the status and the zone, not the URL.
 */
final class EntsoeClient implements PriceSource {

    private static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
    /** A day at 15 minutes is about 50 kB; anything this large is not a price document. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final EntsoeSettings settings;
    private final HttpGet http;
    private final A44Parser parser = new A44Parser();

    EntsoeClient(EntsoeSettings settings) {
        this.settings = settings;
        this.http = HttpGet.builder().connectTimeout(settings.connectTimeout()).requestTimeout(settings.requestTimeout())
                .maxBodyBytes(MAX_BODY_BYTES).secret(settings.token())
                .authHint("the security token was refused (check etc/secrets/ and the platform account)").build();
    }

    URI uri(Instant from, Instant to) {
        String base = settings.baseUrl().toString();
        String zone = URLEncoder.encode(settings.zone(), StandardCharsets.UTF_8);
        return URI.create(base + "?documentType=A44&in_Domain=" + zone + "&out_Domain=" + zone
                + "&periodStart=" + PERIOD.format(from) + "&periodEnd=" + PERIOD.format(to)
                + "&securityToken=" + URLEncoder.encode(settings.token(), StandardCharsets.UTF_8));
    }

    @Override
    public FetchResult fetch(Instant from, Instant to) throws FeedException, InterruptedException {
        HttpGet.Response response = http.exchange(uri(from, to), Map.of("Accept", "application/xml"));
        int status = response.status();
        if (status == 200 || status == 400) {
            // the platform answers "no data" as an acknowledgement, with 200 or 400; a 400 that is not one is refused
            ParsedDocument parsed = parser.parse(new ByteArrayInputStream(response.body()), settings.zone());
            if (parsed instanceof ParsedDocument.Prices p) {
                if (status == 400) {
                    throw new DocumentRefused("HTTP 400 with a price document");
                }
                return FetchResult.prices(p.slots(), p.note());
            }
            return FetchResult.noData(((ParsedDocument.NoData) parsed).reason());
        }
        throw http.refusal(response);
    }
}

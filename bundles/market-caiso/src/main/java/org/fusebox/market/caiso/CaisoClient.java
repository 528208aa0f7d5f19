package org.fusebox.market.caiso;

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
 * One SingleZip GET of PRC_LMP (DAM, version 12, CSV in a ZIP) for one node. OASIS answers "no data"
 * and request errors with HTTP 200 and an XML report in the ZIP; {@link OasisReportReader} tells them apart.
 */
final class CaisoClient implements PriceSource {

    private static final DateTimeFormatter OASIS_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm'-0000'").withZone(ZoneOffset.UTC);
    /** A ZIP of two days of one node is a few kB; the unzip limits apply on top. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final CaisoSettings settings;
    private final HttpGet http;
    private final OasisReportReader reader;

    CaisoClient(CaisoSettings settings) {
        this.settings = settings;
        this.http = HttpGet.builder().connectTimeout(settings.connectTimeout()).requestTimeout(settings.requestTimeout())
                .maxBodyBytes(MAX_BODY_BYTES).build();
        this.reader = new OasisReportReader(settings.node());
    }

    URI uri(Instant from, Instant to) {
        return URI.create(settings.baseUrl() + "?queryname=PRC_LMP&market_run_id=DAM&version=12&startdatetime="
                + OASIS_TIME.format(from) + "&enddatetime=" + OASIS_TIME.format(to) + "&node="
                + URLEncoder.encode(settings.node(), StandardCharsets.UTF_8) + "&resultformat=6");
    }

    @Override
    public FetchResult fetch(Instant from, Instant to) throws FeedException, InterruptedException {
        HttpGet.Response response = http.exchange(uri(from, to), Map.of());
        if (response.status() == 429) {
            FeedException e = http.refusal(response);
            throw new FeedException(e.getMessage() + " (OASIS wants at least " + CaisoSettings.OASIS_MIN_SPACING_SECONDS
                    + " s between requests)", e.retryAfter().orElse(null));
        }
        if (response.status() != 200) {
            throw http.refusal(response);
        }
        OasisReport report = reader.read(response.body());
        if (report instanceof OasisReport.Prices p) {
            return FetchResult.prices(p.slots(), p.note());
        }
        OasisReport.NoData n = (OasisReport.NoData) report;
        return FetchResult.noData("OASIS " + n.code() + ": " + n.description());
    }
}

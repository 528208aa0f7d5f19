package org.fusebox.market.pjm;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;
import org.fusebox.market.support.HttpGet;
import org.fusebox.market.support.PriceSource;
import org.fusebox.market.support.RateLimiter;

/**
 * The paged GET of {@code da_hrl_lmps} for one pnode. The subscription key travels only in the
 * {@code Ocp-Apim-Subscription-Key} header, only to the configured feed: a next link to another origin
 * or path is refused, not followed. No message this class makes contains the key. Every page after the
 * first takes its own place in the rate limiter (the fetcher took the first one's).
 */
final class PjmClient implements PriceSource {

    static final String FIELDS = "datetime_beginning_utc,datetime_beginning_ept,pnode_id,total_lmp_da,"
            + "system_energy_price_da,congestion_price_da,marginal_loss_price_da";
    /** Two trade days of one pnode are at most 49 rows: far below this. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final DateTimeFormatter EPT = DateTimeFormatter.ofPattern("MM-dd-yyyy HH:mm").withZone(TradeDays.EASTERN);

    private final PjmSettings settings;
    private final URI base;
    private final HttpGet http;
    private final RateLimiter limiter;
    private final Clock clock;

    PjmClient(PjmSettings settings, RateLimiter limiter, Clock clock) {
        this.settings = settings;
        this.base = settings.baseUrl();
        this.limiter = limiter;
        this.clock = clock;
        this.http = HttpGet.builder().connectTimeout(settings.connectTimeout()).requestTimeout(settings.requestTimeout())
                .maxBodyBytes(MAX_BODY_BYTES).secret(settings.key()).clock(clock)
                .authHint("the subscription key was refused (check etc/secrets/ and the Data Miner subscription)").build();
    }

    /** The first page: hours beginning in [from, to) in Eastern time, oldest first, current versions only. */
    URI firstPage(Instant from, Instant to) {
        String range = EPT.format(from) + " to " + EPT.format(to.minus(Duration.ofHours(1)));
        return URI.create(base + "?rowCount=" + settings.rowCount() + "&startRow=1&sort=datetime_beginning_utc&order=Asc"
                + "&datetime_beginning_ept=" + enc(range) + "&pnode_id=" + settings.pnodeId() + "&row_is_current=true"
                + "&fields=" + enc(FIELDS));
    }

    @Override
    public FetchResult fetch(Instant from, Instant to) throws FeedException, InterruptedException {
        PjmPages pages = new PjmPages();
        URI next = firstPage(from, to);
        Set<URI> asked = new HashSet<>();
        for (int pageNo = 1; ; pageNo++) {
            if (pageNo > settings.maxPages()) {
                throw new ReportRefused("more than " + settings.maxPages() + " pages (maxPages) for " + pages.rowsSeen()
                        + "+ rows; refused");
            }
            if (!asked.add(next)) {
                throw new ReportRefused("page " + pageNo + " links back to a page already read");
            }
            if (pageNo > 1) {
                awaitTurn(pageNo);
            }
            PjmPage page = PjmPage.parse(get(next, pageNo), settings.pnodeId(), pageNo);
            pages.add(page);
            if (pages.complete() || page.next() == null) {
                break;
            }
            if (page.rows().isEmpty()) {
                throw new ReportRefused("page " + pageNo + " is empty but links to a next one");
            }
            next = sameOrigin(page.next(), pageNo);
        }
        PjmReport report = pages.result(EPT.format(from) + " to " + EPT.format(to) + " Eastern");
        if (report instanceof PjmReport.Prices p) {
            return FetchResult.prices(p.slots(), p.note());
        }
        return FetchResult.noData("no rows for " + ((PjmReport.NoData) report).range());
    }

    /** Waits for a place in the rate limit, at most one window (and a little) of real time. */
    private void awaitTurn(int pageNo) throws InterruptedException, ReportRefused {
        long deadline = System.nanoTime() + limiter.window().plusSeconds(5).toNanos();
        while (!limiter.tryAcquire(clock.instant())) {
            if (System.nanoTime() > deadline) {
                throw new ReportRefused("page " + pageNo + " found no place in the rate limit of " + limiter.limit() + " per "
                        + limiter.window().toSeconds() + " s");
            }
            long wait = Duration.between(clock.instant(), limiter.earliest(clock.instant())).toMillis();
            Thread.sleep(Math.max(10, Math.min(wait, 1000)));
        }
    }

    private URI sameOrigin(String href, int pageNo) throws ReportRefused {
        URI u;
        try {
            u = base.resolve(href);
        } catch (IllegalArgumentException e) {
            throw new ReportRefused("page " + pageNo + ": the next link is not a URL");
        }
        if (!Objects.equals(u.getScheme(), base.getScheme()) || !Objects.equals(u.getHost(), base.getHost())
                || u.getPort() != base.getPort() || !Objects.equals(u.getPath(), base.getPath())) {
            throw new ReportRefused("page " + pageNo + ": the next link leads to " + u.getScheme() + "://" + u.getHost()
                    + (u.getPort() < 0 ? "" : ":" + u.getPort()) + u.getPath() + ", not the configured feed; not followed");
        }
        return u;
    }

    private byte[] get(URI uri, int pageNo) throws FeedException, InterruptedException {
        HttpGet.Response r = http.exchange(uri, Map.of("Accept", "application/json", "Ocp-Apim-Subscription-Key", settings.key()));
        if (r.status() == 200) {
            return r.body();
        }
        FeedException e = http.refusal(r);
        String more = switch (r.status()) {
            case 429 -> " (Data Miner allows non-members 6 requests a minute)";
            case 400 -> http.scrub(PjmPage.errorText(r.body()));
            default -> "";
        };
        throw new FeedException("page " + pageNo + ": " + e.getMessage() + more, e.retryAfter().orElse(null));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package org.fusebox.market.nordpool;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;
import org.fusebox.market.support.HttpGet;
import org.fusebox.market.support.KnownPrices;
import org.fusebox.market.support.PriceSource;

/**
 * One GET per delivery day: the last day of the asked interval (tomorrow) always, an earlier one only when
 * its prices are not all known yet or were served while Preliminary. So a normal day costs one request
 * after publication. HTTP 204 means "not published yet". The days are applied together or not at all:
 * one refused answer refuses the fetch.
 */
final class NordpoolClient implements PriceSource {

    /** A day at 15 minutes for every area is about 60 kB. */
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    static final String USER_AGENT = "fusebox-market-nordpool";

    private final NordpoolSettings settings;
    private final HttpGet http;
    private final NordpoolParser parser;
    private final Supplier<KnownPrices> known;
    /** Days served while Preliminary: asked again until they are Final. */
    private final Set<LocalDate> preliminary = ConcurrentHashMap.newKeySet();

    NordpoolClient(NordpoolSettings settings, Clock clock, Supplier<KnownPrices> known) {
        this.settings = settings;
        this.http = HttpGet.builder().connectTimeout(settings.connectTimeout()).requestTimeout(settings.requestTimeout())
                .maxBodyBytes(MAX_BODY_BYTES).clock(clock).build();
        this.parser = new NordpoolParser(settings.area(), settings.currency(), settings.marketZone());
        this.known = known;
    }

    URI uri(LocalDate day) {
        return URI.create(settings.baseUrl() + "?date=" + day + "&market=DayAhead&deliveryArea="
                + URLEncoder.encode(settings.area(), StandardCharsets.UTF_8) + "&currency=" + settings.currency());
    }

    @Override
    public FetchResult fetch(Instant from, Instant to) throws FeedException, InterruptedException {
        LocalDate first = from.atZone(settings.marketZone()).toLocalDate();
        LocalDate last = to.minusNanos(1).atZone(settings.marketZone()).toLocalDate();
        List<NordpoolDay> days = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (d.isBefore(last) && wholeDayKnown(d) && !preliminary.contains(d)) {
                continue;
            }
            HttpGet.Response r = http.exchange(uri(d), Map.of("Accept", "application/json", "User-Agent", USER_AGENT));
            if (r.status() == 204) {
                notes.add(d + " not published yet");
                continue;
            }
            if (r.status() != 200) {
                FeedException e = http.refusal(r);
                throw new FeedException(d + ": " + e.getMessage(), e.retryAfter().orElse(null));
            }
            NordpoolDay day = parser.parse(r.body(), d);
            if (day.preliminary() && !settings.usePreliminary()) {
                notes.add(d + " Preliminary, waiting for Final");
                continue;
            }
            days.add(day);
            notes.add(d + " " + (day.preliminary() ? "Preliminary" : "Final") + " (" + day.slots().size() + " slots"
                    + (day.updatedAt().isEmpty() ? "" : ", updated " + day.updatedAt()) + ")");
        }
        List<PriceSlot> slots = new ArrayList<>();
        for (NordpoolDay day : days) {
            slots.addAll(day.slots());
            if (day.preliminary()) {
                preliminary.add(day.date());
            } else {
                preliminary.remove(day.date());
            }
        }
        preliminary.removeIf(d -> d.isBefore(first));
        String note = String.join("; ", notes);
        return slots.isEmpty() ? FetchResult.noData(note) : FetchResult.prices(slots, note);
    }

    private boolean wholeDayKnown(LocalDate d) {
        Instant start = d.atStartOfDay(settings.marketZone()).toInstant();
        Instant end = d.plusDays(1).atStartOfDay(settings.marketZone()).toInstant();
        return !known.get().knownUntil(start).isBefore(end);
    }
}

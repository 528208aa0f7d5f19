package org.fusebox.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceKind;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.market.Tariff;

/**
 * The cycle's prices: asks every price feed (each on a worker, waited for at most {@code budget}, so a feed
 * that blocks or throws delays one cycle by that much at worst and never stops it), merges their curves in the
 * site's priority order ({@link PriceMerge}) and lets the tariff, when there is one, say what the site pays
 * and earns. A feed whose earlier call has not returned is not called again until it has.
 */
final class PricePipeline {

    static final Duration LOOK_BACK = Duration.ofHours(1);
    static final Duration LOOK_AHEAD = Duration.ofHours(48);

    /** A bound feed with what its service properties say. */
    record Feed(PriceFeed feed, String id, String kind, int ranking, long serviceId) {
        boolean retail() {
            return PriceKind.RETAIL.equals(kind);
        }
    }

    /** The prices and every reason some are missing. */
    record Result(SitePrices prices, List<String> problems) {
    }

    private final Duration budget;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fusebox-price-feed");
        t.setDaemon(true);
        return t;
    });
    private final Map<PriceFeed, Future<PriceCurve>> inFlight = new ConcurrentHashMap<>();

    PricePipeline(Duration budget) {
        this.budget = budget;
    }

    void close() {
        workers.shutdownNow();
        inFlight.clear();
    }

    /** Listed ids first, in their order; then the others by service ranking (highest first), then service id. */
    static List<Feed> ordered(List<Feed> feeds, List<String> priority) {
        List<Feed> out = new ArrayList<>(feeds);
        out.sort(Comparator.comparingInt((Feed f) -> {
            int i = priority.indexOf(f.id());
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(Comparator.comparingInt(Feed::ranking).reversed()).thenComparingLong(Feed::serviceId));
        return out;
    }

    Result prices(List<Feed> feeds, List<String> priority, Tariff tariff, Instant now, ZoneId zone) {
        Instant from = now.minus(LOOK_BACK);
        Instant to = now.plus(LOOK_AHEAD);
        List<Feed> order = ordered(feeds, priority);
        inFlight.keySet().retainAll(order.stream().map(Feed::feed).toList());
        for (Feed f : order) {
            inFlight.computeIfAbsent(f.feed(), feed -> workers.submit(() -> feed.prices(from, to)));
        }
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> problems = new ArrayList<>();
        List<PriceMerge.FeedCurve> answers = new ArrayList<>();
        Set<String> retail = new HashSet<>();
        for (Feed f : order) {
            if (!f.retail() && !PriceKind.SPOT.equals(f.kind())) {
                problems.add("price feed " + f.id() + " has " + PriceKind.SERVICE_PROPERTY + "=" + f.kind() + ", neither " + PriceKind.SPOT
                        + " nor " + PriceKind.RETAIL + ": taken as " + PriceKind.SPOT);
            }
            Future<PriceCurve> call = inFlight.get(f.feed());
            try {
                PriceCurve c = call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                inFlight.remove(f.feed(), call);
                if (c != null && !c.isEmpty()) {
                    answers.add(new PriceMerge.FeedCurve(f.id(), c));
                    if (f.retail()) {
                        retail.add(f.id());
                    }
                }
            } catch (TimeoutException e) {
                problems.add("price feed " + f.id() + " did not answer within " + budget.toMillis() + " ms: not used this cycle");
            } catch (ExecutionException e) {
                inFlight.remove(f.feed(), call);
                problems.add("price feed " + f.id() + " failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("price feeds not asked: interrupted");
                break;
            } catch (java.util.concurrent.CancellationException e) {
                inFlight.remove(f.feed(), call);
            }
        }
        PriceMerge.Merged merged = PriceMerge.merge(answers);
        problems.addAll(merged.problems());
        PriceCurve market = merged.curve();
        if (tariff == null) {
            return new Result(SitePrices.untariffed(market), List.copyOf(problems));
        }
        try {
            SitePrices p = tariff.prices(from, to, market, Set.copyOf(retail), zone);
            if (p == null) {
                throw new IllegalStateException("the tariff gave no prices");
            }
            return new Result(p, List.copyOf(problems));
        } catch (RuntimeException | LinkageError e) {
            // No price is better than a wrong one: the planners fall back to planning without prices.
            problems.add("tariff refused the prices, planning without import and export prices: " + e.getMessage());
            return new Result(new SitePrices(market, PriceCurve.EMPTY, PriceCurve.EMPTY), List.copyOf(problems));
        }
    }
}

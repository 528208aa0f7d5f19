package org.fusebox.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configuration PIDs of Fusebox's own features, so that a shipped file for a feature that is not
 * installed yet (etc/fusebox.market.csv.cfg before {@code feature:install fusebox-market-csv}) is told
 * apart from a misspelt one ({@code fusebox.cor.cfg}), which nothing will ever read.
 */
final class KnownPids {

    /** PID or factory PID, and the feature whose bundle defines it. Keep in step with features/. */
    static final Map<String, String> FEATURES = new TreeMap<>(Map.ofEntries(
            Map.entry("fusebox.core", "fusebox-core"),
            Map.entry("fusebox.config", "fusebox-config"),
            Map.entry("fusebox.rest", "fusebox-rest"),
            Map.entry("fusebox.web.security", "fusebox-web-security"),
            Map.entry("fusebox.optimiser.fuse", "fusebox-optimiser-fuse"),
            Map.entry("fusebox.optimiser.evdeadline", "fusebox-optimiser-ev-deadline"),
            Map.entry("fusebox.optimiser.battery", "fusebox-optimiser-battery"),
            Map.entry("fusebox.optimiser.peakshaving", "fusebox-optimiser-peak-shaving"),
            Map.entry("fusebox.optimiser.ffr", "fusebox-optimiser-ffr"),
            Map.entry("fusebox.optimiser.audit", "fusebox-optimiser-audit"),
            Map.entry("fusebox.forecast.pv", "fusebox-forecast-simple"),
            Map.entry("fusebox.forecast.load", "fusebox-forecast-simple"),
            Map.entry("fusebox.market.csv", "fusebox-market-csv"),
            Map.entry("fusebox.market.entsoe", "fusebox-market-entsoe"),
            Map.entry("fusebox.market.awattar", "fusebox-market-awattar"),
            Map.entry("fusebox.market.energycharts", "fusebox-market-energycharts"),
            Map.entry("fusebox.market.caiso", "fusebox-market-caiso"),
            Map.entry("fusebox.market.pjm", "fusebox-market-pjm"),
            Map.entry("fusebox.market.tibber", "fusebox-market-tibber"),
            Map.entry("fusebox.market.nordpool", "fusebox-market-nordpool"),
            Map.entry("fusebox.grid.openadr", "fusebox-grid-openadr"),
            Map.entry("fusebox.tariff", "fusebox-tariff"),
            Map.entry("fusebox.sessions", "fusebox-sessions"),
            Map.entry("fusebox.cloud.mqtt", "fusebox-cloud-mqtt"),
            Map.entry("fusebox.management", "fusebox-management"),
            Map.entry("fusebox.management.errors", "fusebox-management"),
            Map.entry("fusebox.vpp", "fusebox-vpp"),
            Map.entry("fusebox.history", "fusebox-history"),
            Map.entry("fusebox.metrics", "fusebox-metrics"),
            Map.entry("fusebox.simulator", "fusebox-simulator"),
            Map.entry("fusebox.driver.modbus", "fusebox-driver-modbus"),
            Map.entry("fusebox.driver.ocpp", "fusebox-driver-ocpp")));

    private KnownPids() {
    }

    static Optional<String> featureOf(String pid) {
        return Optional.ofNullable(FEATURES.get(pid));
    }

    /** The known PID nearest to a misspelt one, when it is near enough (a few letters off) to be meant. */
    static Optional<String> closest(String pid, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(pid, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= 3 ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

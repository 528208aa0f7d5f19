package org.fusebox.driver.ocpp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password guessing: after a few failed logins for one charge point id, or from one remote
 * address, every further attempt from it is refused (without looking at the password) for a delay that
 * doubles with each failure, up to {@link #MAX_DELAY_SECONDS}. A successful login clears both counts.
 */
final class LoginGuard {

    private static final Logger LOG = LoggerFactory.getLogger(LoginGuard.class);

    static final long MAX_DELAY_SECONDS = 300;
    /** Bounds the memory an attacker with many addresses can make it use. */
    private static final int MAX_ENTRIES = 10_000;

    private record Failures(int count, long lockedUntilNanos) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    LoginGuard(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Seconds the id or the address must still wait, or 0 when it may try now. */
    long waitSeconds(String chargePointId, String address) {
        long now = nanoTime.getAsLong();
        long wait = 0;
        for (String key : keys(chargePointId, address)) {
            Failures f = failures.get(key);
            if (f != null && f.lockedUntilNanos() - now > 0) {
                wait = Math.max(wait, (f.lockedUntilNanos() - now + 999_999_999L) / 1_000_000_000L);
            }
        }
        return wait;
    }

    void failed(String chargePointId, String address, int freeFailures) {
        long now = nanoTime.getAsLong();
        if (failures.size() > MAX_ENTRIES) {
            failures.values().removeIf(f -> f.lockedUntilNanos() - now <= 0);
            if (failures.size() > MAX_ENTRIES) {
                LOG.warn("More than {} sources of failed OCPP logins; their counts start again", MAX_ENTRIES);
                failures.clear();
            }
        }
        for (String key : keys(chargePointId, address)) {
            Failures f = failures.compute(key, (k, old) -> next(old, now, freeFailures));
            if (f.count() >= freeFailures) {
                LOG.warn("OCPP login failure {} for {}: further attempts refused for {} s", f.count(), key,
                        (f.lockedUntilNanos() - now) / 1_000_000_000L);
            }
        }
    }

    void succeeded(String chargePointId, String address) {
        for (String key : keys(chargePointId, address)) {
            failures.remove(key);
        }
    }

    private static Failures next(Failures old, long now, int freeFailures) {
        int count = old == null ? 1 : old.count() + 1;
        if (count < freeFailures) {
            return new Failures(count, now);
        }
        long delay = Math.min(MAX_DELAY_SECONDS, 1L << Math.min(20, count - freeFailures));
        return new Failures(count, now + delay * 1_000_000_000L);
    }

    private static String[] keys(String chargePointId, String address) {
        return new String[] {"id " + chargePointId, "address " + address};
    }
}

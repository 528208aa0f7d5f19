package org.fusebox.driver.ocpp.bench;

import java.util.Arrays;

/** Every sample kept (a few hundred thousand at most), so percentiles are exact rather than bucketed. */
final class Latencies {

    private long[] micros = new long[1024];
    private int size;

    synchronized void add(long valueMicros) {
        if (size == micros.length) {
            micros = Arrays.copyOf(micros, size * 2);
        }
        micros[size++] = valueMicros;
    }

    synchronized void addAll(Latencies other) {
        long[] theirs;
        int n;
        synchronized (other) {
            theirs = Arrays.copyOf(other.micros, other.size);
            n = other.size;
        }
        for (int i = 0; i < n; i++) {
            add(theirs[i]);
        }
    }

    synchronized int count() {
        return size;
    }

    /** Nearest-rank percentile in microseconds; {@code p} in (0, 100]. */
    synchronized long percentile(double p) {
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(micros, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    synchronized long max() {
        return percentile(100);
    }

    /** {@code n=…  p50=… p90=… p99=… p99.9=… max=…} in milliseconds. */
    String summary() {
        if (count() == 0) {
            return "n=0";
        }
        return String.format("n=%d p50=%s p90=%s p99=%s p99.9=%s max=%s ms", count(), ms(percentile(50)),
                ms(percentile(90)), ms(percentile(99)), ms(percentile(99.9)), ms(max()));
    }

    static String ms(long micros) {
        return micros < 10_000 ? String.format("%.2f", micros / 1000.0) : String.format("%.1f", micros / 1000.0);
    }
}

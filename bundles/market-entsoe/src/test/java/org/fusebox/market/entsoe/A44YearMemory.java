package org.fusebox.market.entsoe;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Memory of parsing a year of 15-minute A44 prices, beside {@link A44YearBenchmark}'s times: bytes allocated
 * per parse on this thread ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), and the heap the
 * parsed result keeps (used heap after GC with the result held, minus without it). Not a test: run with the
 * module's {@code bench} profile, see docs/benchmarks.md. Arguments: warm-up parses (20), measured parses (30).
 */
public final class A44YearMemory {

    public static void main(String[] args) throws Exception {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        long me = Thread.currentThread().getId();
        A44Parser parser = new A44Parser();
        System.out.println("Prices: " + YearDocument.pricesFile() + "; JVM " + System.getProperty("java.vm.version") + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        for (YearDocument.Shape shape : YearDocument.Shape.values()) {
            YearDocument doc = YearDocument.of(YearDocument.pricesFile(), shape);
            for (int i = 0; i < warmUp; i++) {
                parser.parse(new ByteArrayInputStream(doc.xml), Documents.BE);
            }
            long[] allocated = new long[runs];
            long[] nanos = new long[runs];
            int slots = 0;
            for (int i = 0; i < runs; i++) {
                long a0 = threads.getThreadAllocatedBytes(me);
                long t0 = System.nanoTime();
                ParsedDocument.Prices p = (ParsedDocument.Prices) parser.parse(new ByteArrayInputStream(doc.xml), Documents.BE);
                nanos[i] = System.nanoTime() - t0;
                allocated[i] = threads.getThreadAllocatedBytes(me) - a0;
                slots = p.slots().size();
            }
            if (slots != YearDocument.QUARTERS_2023) {
                throw new IllegalStateException(shape + ": parsed " + slots + " slots, expected " + YearDocument.QUARTERS_2023);
            }
            Arrays.sort(allocated);
            Arrays.sort(nanos);
            long before = usedAfterGc();
            ParsedDocument.Prices kept = (ParsedDocument.Prices) parser.parse(new ByteArrayInputStream(doc.xml), Documents.BE);
            long after = usedAfterGc();
            System.out.printf(Locale.ROOT, "%s: document %,d bytes, %d TimeSeries, %,d points for %,d positions; %d parses after %d warm-up: "
                    + "time median %.1f ms, p95 %.1f ms; allocated per parse median %,d bytes (%.1f MiB), min %,d, max %,d; "
                    + "retained by the result (%,d slots) %,d bytes (%.1f MiB, %.0f bytes per slot)%n",
                    shape, doc.xml.length, doc.days, doc.points, YearDocument.QUARTERS_2023, runs, warmUp,
                    nanos[runs / 2] / 1e6, nanos[(int) Math.ceil(0.95 * runs) - 1] / 1e6,
                    allocated[runs / 2], allocated[runs / 2] / 1048576.0, allocated[0], allocated[runs - 1],
                    kept.slots().size(), after - before, (after - before) / 1048576.0, (after - before) / (double) kept.slots().size());
        }
    }

    /** Used heap after full collections, repeated until it stops falling. */
    static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }
}

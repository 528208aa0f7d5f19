package org.fusebox.driver.modbus.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups the registers a set of points needs into as few read requests as possible. Slow devices answer
 * one request of 40 registers much faster than 20 requests of 2, so neighbours are merged, and a small gap
 * of unused registers is read rather than paying for another round trip.
 */
public final class ReadPlanner {

    /** The most registers one Read Holding/Input Registers request may ask for (Modbus spec). */
    public static final int MAX_REGISTERS_PER_READ = 125;

    private final int maxRegistersPerRead;
    private final int maxGap;

    /**
     * @param maxRegistersPerRead cap per request, 1..125 (some devices accept fewer than the spec allows)
     * @param maxGap              unused registers that may be read to join two spans; 0 joins only
     *                            touching spans. Some devices reject reads of unmapped registers, so keep
     *                            it 0 for those.
     */
    public ReadPlanner(int maxRegistersPerRead, int maxGap) {
        if (maxRegistersPerRead < 1 || maxRegistersPerRead > MAX_REGISTERS_PER_READ) {
            throw new IllegalArgumentException("max registers per read must be 1.." + MAX_REGISTERS_PER_READ);
        }
        if (maxGap < 0) {
            throw new IllegalArgumentException("max gap must not be negative");
        }
        this.maxRegistersPerRead = maxRegistersPerRead;
        this.maxGap = maxGap;
    }

    public static ReadPlanner defaults() {
        return new ReadPlanner(MAX_REGISTERS_PER_READ, 8);
    }

    /** The spans a point needs: its own registers and, if it has one, its scale-factor register. */
    public static List<RegisterSpan> spansOf(Point point) {
        RegisterSpan own = new RegisterSpan(point.registerType(), point.address(), point.type().words());
        if (point.scaleFactorAddress() == null) {
            return List.of(own);
        }
        return List.of(own, new RegisterSpan(point.registerType(), point.scaleFactorAddress(), 1));
    }

    public List<RegisterSpan> planPoints(List<Point> points) {
        return plan(points.stream().flatMap(p -> spansOf(p).stream()).toList());
    }

    /**
     * Plans the reads. Every input span lies wholly inside a returned request and none is longer than the
     * cap. Requests overlap only where the input spans themselves overlap.
     */
    public List<RegisterSpan> plan(List<RegisterSpan> spans) {
        List<RegisterSpan> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparing(RegisterSpan::registerType).thenComparingInt(RegisterSpan::address)
                .thenComparingInt(RegisterSpan::count));
        List<RegisterSpan> requests = new ArrayList<>();
        RegisterType type = null;
        int start = 0;
        int end = 0;
        for (RegisterSpan span : sorted) {
            if (span.count() > maxRegistersPerRead) {
                throw new IllegalArgumentException(span + " is longer than one read of " + maxRegistersPerRead);
            }
            boolean joins = span.registerType() == type
                    && span.address() <= end + maxGap
                    && Math.max(end, span.end()) - start <= maxRegistersPerRead;
            if (joins) {
                end = Math.max(end, span.end());
                continue;
            }
            if (type != null) {
                requests.add(new RegisterSpan(type, start, end - start));
            }
            // a span overlapping the previous request that did not fit starts a request of its own; the few
            // shared registers are read twice, which only happens when map points overlap
            start = span.address();
            type = span.registerType();
            end = span.end();
        }
        if (type != null) {
            requests.add(new RegisterSpan(type, start, end - start));
        }
        return List.copyOf(requests);
    }
}

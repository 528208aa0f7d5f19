package org.fusebox.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * The gateway's JVM, read from {@code java.lang.management} at scrape time: memory, threads, uptime and garbage
 * collections. A few series, with no dependency beyond the JDK (prometheus-metrics' own JVM instrumentation is a
 * bundle more, with many more series).
 */
final class JvmMetrics {

    private JvmMetrics() {
    }

    static void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("fusebox_jvm_memory_used_bytes").help("JVM memory in use, heap and non-heap")
                .labelNames("area")
                .callback(cb -> {
                    var memory = ManagementFactory.getMemoryMXBean();
                    cb.call(memory.getHeapMemoryUsage().getUsed(), "heap");
                    cb.call(memory.getNonHeapMemoryUsage().getUsed(), "nonheap");
                }).register(registry);
        GaugeWithCallback.builder().name("fusebox_jvm_memory_committed_bytes")
                .help("JVM memory the operating system has committed, heap and non-heap")
                .labelNames("area")
                .callback(cb -> {
                    var memory = ManagementFactory.getMemoryMXBean();
                    cb.call(memory.getHeapMemoryUsage().getCommitted(), "heap");
                    cb.call(memory.getNonHeapMemoryUsage().getCommitted(), "nonheap");
                }).register(registry);
        GaugeWithCallback.builder().name("fusebox_jvm_memory_max_bytes").help("The most heap the JVM may use (-Xmx)")
                .labelNames("area")
                .callback(cb -> {
                    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    if (heap.getMax() >= 0) {
                        cb.call(heap.getMax(), "heap");
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("fusebox_jvm_threads").help("Live JVM threads, daemon or not")
                .callback(cb -> cb.call(ManagementFactory.getThreadMXBean().getThreadCount())).register(registry);
        GaugeWithCallback.builder().name("fusebox_jvm_uptime_seconds").help("How long the JVM has been running")
                .callback(cb -> cb.call(ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0)).register(registry);
        CounterWithCallback.builder().name("fusebox_jvm_gc_collections_total").help("Garbage collections, by collector")
                .labelNames("gc")
                .callback(cb -> {
                    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                        if (gc.getCollectionCount() >= 0) {
                            cb.call(gc.getCollectionCount(), gc.getName());
                        }
                    }
                }).register(registry);
        CounterWithCallback.builder().name("fusebox_jvm_gc_seconds_total").help("Time spent in garbage collections, by collector")
                .labelNames("gc")
                .callback(cb -> {
                    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                        if (gc.getCollectionTime() >= 0) {
                            cb.call(gc.getCollectionTime() / 1000.0, gc.getName());
                        }
                    }
                }).register(registry);
    }
}

package org.fusebox.market.entsoe;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing a year of 15-minute A44 prices (35,040 positions, one TimeSeries per delivery day, A03 gaps, the
 * days of 92 and 100 quarter hours) from bytes, as {@code EntsoeClient} parses a response body: StAX reading,
 * series choice, A03 expansion into slots. Sample mode, so JMH reports the median and p95. Memory per parse:
 * {@code -prof gc} (gc.alloc.rate.norm) and {@link A44YearMemory}. Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class A44YearBenchmark {

    @Param({ "FLAT", "INTERPOLATED" })
    public String shape;

    private byte[] xml;
    private final A44Parser parser = new A44Parser();

    @Setup
    public void buildDocument() throws Exception {
        YearDocument doc = YearDocument.of(YearDocument.pricesFile(), YearDocument.Shape.valueOf(shape));
        xml = doc.xml;
        // the benchmark measures a parse that succeeds: refuse to time a wrong result
        ParsedDocument.Prices p = (ParsedDocument.Prices) parser.parse(new ByteArrayInputStream(xml), Documents.BE);
        if (p.slots().size() != YearDocument.QUARTERS_2023) {
            throw new IllegalStateException("parsed " + p.slots().size() + " slots, expected " + YearDocument.QUARTERS_2023);
        }
    }

    @Benchmark
    public ParsedDocument parseYear() throws DocumentRefused {
        return parser.parse(new ByteArrayInputStream(xml), Documents.BE);
    }
}

package dev.thaw.benchmarks;

import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler that adds memory to every case: the fork's peak resident set (VmHWM: heap, ND4J's off-heap arrays,
 * native libraries and JMH itself) and the peak of the used Java heap, the maximum over iterations (ND4J's arrays
 * have no figure of their own: {@link Memory}). JMH runs each parameter set in its own fork, so the peak belongs to that case alone. The
 * {@code jmh} execution in the benchmarks pom always adds it ({@code -prof dev.thaw.benchmarks.PeakMemoryProfiler});
 * {@link JmhReport} shows the two columns.
 */
public final class PeakMemoryProfiler implements InternalProfiler {

    static final String PEAK_RSS = "peakRssMB";
    static final String HEAP = "heapUsedMB";

    @Override
    public String getDescription() {
        return "peak RSS of the fork and Java heap in use (MB, max over iterations)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        // nothing to reset: VmHWM is the fork's own high-water mark
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        return List.of(new ScalarResult(PEAK_RSS, Memory.peakRssMb(), "MB", AggregationPolicy.MAX),
                new ScalarResult(HEAP, Memory.heapUsedMb(), "MB", AggregationPolicy.MAX));
    }
}

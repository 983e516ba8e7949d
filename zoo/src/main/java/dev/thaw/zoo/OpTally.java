package dev.thaw.zoo;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.nd4j.linalg.profiler.data.StringAggregator;

/**
 * Calls and time of every native op ND4J executes while some work runs, by op name, from ND4J's op profiler (DL4J's
 * oneDNN layer helpers call libnd4j's {@code conv2d}, {@code batchnorm}, … through the same executioner). ND4J's own
 * aggregator keys custom ops by class only ("CustomOp"), so this replaces it for the duration and restores a fresh
 * one afterwards, with the profiler switched off again. How Thaw checks what its speed settings change
 * ({@code ConvCacheTest}) and where a training step's time goes ({@code OpBreakdown}).
 */
public final class OpTally {

    /** One op name's total over the work. */
    public record Op(long calls, long nanos) {
    }

    private final Map<String, Op> ops = new TreeMap<>();

    private OpTally() {
    }

    /** Runs {@code work} with ND4J's op profiler timing every op, and returns what it executed. */
    public static OpTally during(Runnable work) {
        OpTally tally = new OpTally();
        OpProfiler.getInstance().reset();
        OpProfiler.getInstance().setClassAggergator(tally.new Aggregator());
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        try {
            work.run();
        } finally {
            Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
            OpProfiler.getInstance().setClassAggergator(new StringAggregator());
        }
        return tally;
    }

    /** Every op name executed, in name order. */
    public Map<String, Op> ops() {
        return Collections.unmodifiableMap(ops);
    }

    /** How often {@code opName} ran (0 if never). */
    public long calls(String opName) {
        Op op = ops.get(opName);
        return op == null ? 0 : op.calls();
    }

    private final class Aggregator extends StringAggregator {
        @Override
        public void putTime(String key, org.nd4j.linalg.api.ops.Op op, long nanos) {
            add(op.opName(), nanos);
        }

        @Override
        public void putTime(String key, CustomOp op, long nanos) {
            add(op.opName(), nanos);
        }

        private void add(String name, long nanos) {
            ops.merge(name, new Op(1, nanos), (a, b) -> new Op(a.calls() + 1, a.nanos() + nanos));
        }
    }
}

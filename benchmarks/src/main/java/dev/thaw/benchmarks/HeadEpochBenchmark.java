package dev.thaw.benchmarks;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Question: what does one epoch of head training cost when the frozen backbone's output comes from the feature
 * cache, against running the frozen backbone forward for every minibatch? Expected: the cached epoch costs only the
 * head's own work, so the ratio grows with the backbone (the {@code FeatureCacheBenchmark} entry point measures the
 * same through Thaw's trainer on real images). One operation is one epoch over {@code images} random images in
 * minibatches of 16; everything but the output layer is frozen ({@code head}).
 *
 * <p>Run: {@code mvn -q compile exec:exec@jmh -Djmh.args="HeadEpoch -rf json -rff head.json"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class HeadEpochBenchmark {

    @Param({"smallcnn", "resnet50"})
    String model;

    @Param({"32"})
    int size;

    @Param({"128"})
    int images;

    private ComputationGraph frozen;
    private TransferLearningHelper helper;
    private final List<DataSet> batches = new ArrayList<>();
    private final List<DataSet> features = new ArrayList<>();

    @Setup(Level.Trial)
    public void build() {
        Backbone backbone = Backbones.get(model);
        frozen = SyntheticWorkload.graph(backbone, size, backbone.freezePoints().deepest(), 1e-3);
        helper = new TransferLearningHelper(frozen.clone());
        Nd4j.getRandom().setSeed(1);
        for (int start = 0; start < images; start += 16) {
            DataSet batch = SyntheticWorkload.batch(backbone, size, 16, start);
            batches.add(batch);
            features.add(helper.featurize(batch));
        }
    }

    /** An epoch of head training from cached features. */
    @Benchmark
    public void cachedFeatures(Blackhole bh) {
        for (DataSet f : features) {
            helper.fitFeaturized(f);
        }
        bh.consume(helper.unfrozenGraph().score());
    }

    /** The same epoch running the frozen backbone forward for every minibatch. */
    @Benchmark
    public void frozenForward(Blackhole bh) {
        for (DataSet b : batches) {
            frozen.fit(b);
        }
        bh.consume(frozen.score());
    }
}

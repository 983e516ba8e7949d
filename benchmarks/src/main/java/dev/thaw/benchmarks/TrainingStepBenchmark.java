package dev.thaw.benchmarks;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
 * Question: what does one training step (forward, backward, update) cost per backbone, freeze depth and batch
 * size, and what does inference cost? One operation is one minibatch; divide the batch size by the time for
 * images/s. Freeze depth uses the backbone's named points ({@code none} = full fine-tuning, {@code head} = only the
 * output layer); frozen layers still run forward, so the step gets cheaper with depth only by the backward pass.
 * Expected: freezing to the head costs about a forward pass; full fine-tuning about three.
 *
 * <p>Run: {@code mvn -q compile exec:exec@jmh -Djmh.args="TrainingStep -p model=resnet50 -p size=64 -rf json -rff
 * step.json"}; the default parameters below are the small, quick cases.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class TrainingStepBenchmark {

    @Param({"smallcnn", "resnet50"})
    String model;

    @Param({"32"})
    int size;

    @Param({"none", "head"})
    String freeze;

    @Param({"16"})
    int batch;

    private ComputationGraph graph;
    private DataSet minibatch;

    @Setup(Level.Trial)
    public void build() {
        Backbone backbone = Backbones.get(model);
        graph = SyntheticWorkload.graph(backbone, size, backbone.freezePoints().resolve(freeze), 1e-4);
        Nd4j.getRandom().setSeed(1);
        minibatch = SyntheticWorkload.batch(backbone, size, batch, 0);
    }

    /** One training step on a fixed minibatch. */
    @Benchmark
    public void trainStep(Blackhole bh) {
        graph.fit(minibatch);
        bh.consume(graph.score());
    }

    /** Inference on the same minibatch (the freeze depth does not matter here). */
    @Benchmark
    public void inference(Blackhole bh) {
        bh.consume(graph.outputSingle(minibatch.getFeatures()));
    }
}

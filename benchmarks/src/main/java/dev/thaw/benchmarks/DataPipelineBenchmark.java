package dev.thaw.benchmarks;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.Dataset;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.FashionMnist;
import dev.thaw.engine.data.IdxImport;
import dev.thaw.engine.data.ImageFolder;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Question: how many images per second does the training pipeline serve from a folder of real PNGs, with the decode
 * cache and without it (DataVec's ImageRecordReader decoding every file every epoch)?
 *
 * <p>One operation is one image; each invocation is one full shuffled training epoch over {@value #IMAGES}
 * Fashion-MNIST images written as PNG files, resized to {@code size}×{@code size} RGB and normalized, as training
 * sees them. The first epoch of the cached variant (the decode) falls in warm-up: measured epochs are what every
 * epoch after the first costs. Expected: the cache is several times faster, since decoding and resizing dominate.
 *
 * <p>Run: {@code mvn -q compile exec:exec@jmh -Djmh.args="DataPipeline -rf json -rff pipeline.json"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class DataPipelineBenchmark {

    static final int IMAGES = 2000;

    @Param({"true", "false"})
    boolean decodeCache;

    @Param({"32", "64"})
    int size;

    private Path folder;
    private DataSetIterator train;

    @Setup(Level.Trial)
    public void writeFolderAndOpenPipeline() throws IOException {
        Dataset fm = FashionMnist.bundled();
        Dataset subset = new Dataset(fm.name(), fm.classes(), fm.items().subList(0, IMAGES), List.of(), List.of(),
                fm.fingerprint(), fm.decoder());
        folder = Files.createTempDirectory("thaw-bench-pipeline");
        IdxImport.write(subset, folder.resolve("data"));
        DataSplits splits = Splitter.split(ImageFolder.scan(folder.resolve("data"), false),
                new SplitPlan(1, 0, 0, 0, ""));
        PipelineOptions options = PipelineOptions.DEFAULT.withBatchSize(32).withDecodeCache(decodeCache);
        train = new DataPipeline(splits, InputShape.rgb(size), Normalization.UNIT, options,
                new DecodeCache(null, 1L << 30)).train(1);
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public void epoch(Blackhole bh) {
        while (train.hasNext()) {
            bh.consume(train.next());
        }
        train.reset();
    }

    @TearDown(Level.Trial)
    public void deleteFolder() throws IOException {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package dev.thaw.benchmarks;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.Dataset;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.FashionMnist;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import dev.thaw.engine.train.BatchNormMode;
import dev.thaw.engine.train.EpochMetrics;
import dev.thaw.engine.train.FeatureCache;
import dev.thaw.engine.train.LearningRate;
import dev.thaw.engine.train.Optimizer;
import dev.thaw.engine.train.Strategy;
import dev.thaw.engine.train.TrainSettings;
import dev.thaw.engine.train.Trainer;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Question: after the first epoch, how much cheaper is an epoch of head training from cached frozen features than
 * one that runs the frozen backbone forward again? Target: at least 20x for VGG16 and ResNet50 at 64 and 224 px.
 *
 * <p>Each case trains the {@code head} strategy (everything but the output frozen) for {@code epochs} epochs over
 * real Fashion-MNIST images resized to the input size, once with the feature cache and once without, through
 * Thaw's own {@link Trainer}. An epoch's cost is its wall time as the trainer measures it (featurization happens
 * before the first epoch and is reported separately); the figure is the median over epochs 2..n, and the ratio is
 * uncached / cached in the same JVM. Random weights: ImageNet weights cannot be downloaded here, and the arithmetic
 * is the same.
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=FeatureCacheBenchmark -Dbench.args="--epochs 4"}
 * (cases: {@code --cases vgg16:64,resnet50:64,resnet50:224,vgg16:224}).
 */
public final class FeatureCacheBenchmark {

    private FeatureCacheBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        BenchmarkArgs a = new BenchmarkArgs(args, "--epochs N, --cases model:size,..., --out FILE", "--epochs",
                "--cases", "--out");
        int epochs = a.getInt("--epochs", 4);
        String cases = a.get("--cases", "resnet50:64,vgg16:64,resnet50:224,vgg16:224");
        Path out = a.getPath("--out", "benchmarks/results/feature-cache.md");
        StringBuilder md = new StringBuilder();
        md.append("# Feature cache: head-training epoch cost, cached features vs frozen forward every epoch\n\n");
        md.append(String.format("Machine: %s, %s. Command: `mvn -q compile exec:exec@bench "
                        + "-Dbench=FeatureCacheBenchmark -Dbench.args=\"--epochs %d --cases %s\"`.%n%n",
                Machine.describe(), System.getProperty("os.name"), epochs, cases));
        md.append("| model | input | images | featurize once | epoch, cached (median) | epoch, uncached (median) "
                + "| ratio | cached images/s | uncached images/s | peak RSS so far |\n|---|---|---|---|---|---|---|---|---|---|\n");
        System.out.print(md);
        for (String c : cases.split(",")) {
            String[] mc = c.split(":");
            String row = measure(Backbones.get(mc[0]), Integer.parseInt(mc[1]), epochs);
            System.out.print(row);
            md.append(row);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.println("written to " + out);
    }

    private static String measure(Backbone backbone, int size, int epochs) throws IOException {
        int images = size >= 224 ? 32 : 128;
        Dataset fm = FashionMnist.bundled();
        Dataset subset = new Dataset(fm.name(), fm.classes(), fm.items().subList(0, images), List.of(), List.of(),
                fm.fingerprint() + "/" + images, fm.decoder());
        DataSplits splits = Splitter.split(subset, new SplitPlan(1, 0, 0, 0, ""));
        InputShape shape = InputShape.rgb(size);
        DataPipeline pipeline = new DataPipeline(splits, shape, backbone.normalization(),
                PipelineOptions.DEFAULT.withBatchSize(16), new DecodeCache(null, 1L << 30));
        TrainSettings settings = new TrainSettings(Strategy.parse("head"),
                new Optimizer("adam", new LearningRate(1e-3, "constant"), 0), epochs, 1, 0, true,
                BatchNormMode.TRAIN, false);
        Path cacheDir = Files.createTempDirectory("thaw-bench-features");
        FeatureCache cache = new FeatureCache(cacheDir);
        FeatureCache.Key key = new FeatureCache.Key(backbone.name(), "random:seed=1", "", shape.toString(),
                backbone.normalization().name(), "");

        ComputationGraph g1 = backbone.build(shape, splits.numClasses(), 1);
        long t0 = System.nanoTime();
        List<EpochMetrics> cached = new Trainer(backbone, settings, pipeline, cache, key, null, List.of())
                .fit(g1, List.of()).history();
        double total = (System.nanoTime() - t0) / 1e9;
        double cachedEpochs = cached.stream().mapToDouble(EpochMetrics::seconds).sum();
        double featurize = total - cachedEpochs;

        ComputationGraph g2 = backbone.build(shape, splits.numClasses(), 1);
        List<EpochMetrics> uncached = new Trainer(backbone, new TrainSettings(settings.strategy(),
                settings.optimizer(), epochs, 1, 0, false, settings.batchNorm(), false), pipeline, cache, null, null, List.of())
                .fit(g2, List.of()).history();
        double c = median(cached);
        double u = median(uncached);
        return String.format(Locale.ROOT, "| %s | %d px | %d | %.2f s | %.4f s | %.2f s | %.0fx | %.0f | %.1f | %d MB |%n",
                backbone.name(), size, images, featurize, c, u, u / c, images / c, images / u, Memory.peakRssMb());
    }

    /** Median epoch time over epochs 2..n (the first absorbs JIT and allocation warm-up). */
    private static double median(List<EpochMetrics> history) {
        List<Double> t = new ArrayList<>();
        for (EpochMetrics m : history.subList(Math.min(1, history.size() - 1), history.size())) {
            t.add(m.seconds());
        }
        return Median.of(t);
    }
}

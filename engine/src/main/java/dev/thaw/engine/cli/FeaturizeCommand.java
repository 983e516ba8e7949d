package dev.thaw.engine.cli;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.train.FeatureCache;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.FreezePoint;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.weights.LoadedModel;
import dev.thaw.zoo.weights.WeightSource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thaw featurize}: fill the feature cache for a freeze point ahead of training or a sweep. */
@Command(name = "featurize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the frozen part of a backbone once over every split and store the features in the cache "
                + "(~/.cache/thaw/features), so that training with that freeze point starts from them."},
        footer = {"", "Example:", "  featurize --model resnet50 --input 64 --freeze res4 --classes 5-9 --per-class 20"})
final class FeaturizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    DataOptions data;

    @Option(names = {"-m", "--model"}, defaultValue = "smallcnn", description = "Backbone (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input shape (default: native).")
    String input;

    @Option(names = "--weights", defaultValue = "random", description = "Weight source (default: ${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--freeze", defaultValue = "head", paramLabel = "POINT",
            description = "Freeze point whose output is cached (default: ${DEFAULT-VALUE}, the deepest).")
    String freeze;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Backbone backbone = Backbones.get(model);
        InputShape shape = input == null ? backbone.nativeInput() : InputShape.parse(input);
        FreezePoint point = backbone.freezePoints().resolve(freeze);
        if (point.isNone()) {
            throw new IllegalArgumentException("--freeze none leaves nothing frozen to featurize: pick a freeze point. "
                    + backbone.freezePoints().choices());
        }
        DataSplits splits = data.splits();
        LoadedModel loaded = WeightSource.parse(weights).load(backbone, shape, splits.numClasses(), data.seed);
        DataPipeline pipeline = new DataPipeline(splits, shape, backbone.normalization(), PipelineOptions.DEFAULT,
                new DecodeCache(FineTune.cacheDir().resolve("decoded"), 2L << 30));
        FeatureCache cache = new FeatureCache(FineTune.cacheDir().resolve("features"));
        FeatureCache.Key base = new FeatureCache.Key(backbone.name(), loaded.fingerprint(), "", shape.toString(),
                backbone.normalization().name(), "");
        for (Split split : Split.values()) {
            if (splits.get(split).isEmpty()) {
                continue;
            }
            long start = System.nanoTime();
            DataSet features = cache.featurize(loaded.graph(), point, base, pipeline, split);
            out.printf("%-5s %6d images -> features %s at %s (%.1f s)%n", split.folderName(), features.numExamples(),
                    java.util.Arrays.toString(features.getFeatures().shape()), point.name(),
                    (System.nanoTime() - start) / 1e9);
        }
        out.printf("%d computed, %d already cached, in %s%n", cache.computed(), cache.hits(),
                FineTune.cacheDir().resolve("features"));
        return 0;
    }
}

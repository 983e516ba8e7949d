package dev.thaw.engine.cli;

import dev.thaw.engine.data.Split;
import dev.thaw.engine.run.Cluster;
import dev.thaw.engine.run.Featurization;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.train.FeatureCache;
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

    @Option(names = "--spark", arity = "0..1", fallbackValue = "submit", paramLabel = "MASTER",
            description = "Featurize slice by slice as Spark tasks: local[N], spark://HOST:PORT, or no value under "
                    + "spark-submit. The cache (-Dthaw.cache.dir) and the data must be at the same path on every "
                    + "executor. Needs Thaw's Spark jar (README \"Running on a cluster\").")
    String spark;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FeatureCache cache = new FeatureCache(FineTune.cacheDir().resolve("features"));
        try (Cluster cluster = spark == null ? null : Cluster.connect(spark, data.data, out)) {
            Featurization job = Featurization.prepare(new Featurization.Request(model, input, weights, freeze,
                    data.data, data.strict, data.plan()));
            for (Split split : job.splits()) {
                long start = System.nanoTime();
                DataSet features = cluster == null ? job.featurize(cache, split)
                        : cluster.featurize(job, cache, split, out);
                out.printf("%-5s %6d images -> features %s at %s (%.1f s)%n", split.folderName(),
                        features.numExamples(), java.util.Arrays.toString(features.getFeatures().shape()),
                        job.point().name(), (System.nanoTime() - start) / 1e9);
            }
        }
        out.printf("%d computed, %d already cached, in %s%n", cache.computed(), cache.hits(),
                FineTune.cacheDir().resolve("features"));
        return 0;
    }
}

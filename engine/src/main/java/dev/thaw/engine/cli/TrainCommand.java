package dev.thaw.engine.cli;

import dev.thaw.engine.run.Cluster;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunResult;
import dev.thaw.engine.train.EpochFitter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thaw train}: fine-tune a backbone on a dataset with a freeze strategy. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a backbone on your images with a freeze strategy; writes runs/NAME/ with the "
                + "model, metrics, evaluation and provenance."},
        footer = {"", "Examples:",
                "  train --data ~/photos/pets --model resnet50 --input 64 --weights imagenet --strategy head",
                "  train --classes 5-9 --per-class 20 --weights thaw:runs/pre/model.zip --strategy freeze:block2",
                "  train --resume runs/20261128-101500"})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    DataOptions data;

    @Mixin
    TrainOptions train;

    @Mixin
    UiOptions ui;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue a killed run from its last checkpoint, with its original settings.")
    Path resume;

    @Option(names = "--spark", arity = "0..1", fallbackValue = "submit", paramLabel = "MASTER",
            description = "Train each epoch data-parallel on Spark (dl4j-spark's parameter averaging), with "
                    + "validation, checkpoints and the run folder here as always: local[N], spark://HOST:PORT, or "
                    + "no value under spark-submit. Needs Thaw's Spark jar (README \"Running on a cluster\").")
    String spark;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() {
        var out = json.text(spec);
        RunResult r;
        try (Cluster cluster = spark == null ? null : Cluster.connect(spark, resume != null ? null : data.data,
                out)) {
            EpochFitter fitter = cluster == null ? EpochFitter.ONE_BY_ONE : cluster.fitter();
            Supplier<RunResult> training = () -> resume != null ? FineTune.resume(resume, out, fitter)
                    : FineTune.run(train.config(data, "random", null), train.runs, out, List.of(), fitter);
            if (ui.enabled() && !fitter.stepsRunHere()) {
                // an empty page helps no one: say so and train
                out.println("warning: --ui is ignored with --spark: the steps run on Spark's executors, whose "
                        + "training statistics DL4J does not gather here; follow the epochs in the output or "
                        + "metrics.csv");
                r = training.get();
            } else {
                r = ui.around(out, training);
            }
        }
        json.print(spec, () -> summary(r));
        return 0;
    }

    /** {@code --json}'s document: where the run is, its test scores, every epoch, its times. */
    static Map<String, Object> summary(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", r.directory().toString());
        m.put("evaluation", r.evaluation());
        m.put("epochs", r.history());
        m.put("stopReason", r.stopReason());
        m.put("seconds", r.seconds());
        m.put("trainSeconds", r.trainSeconds());
        m.put("testSeconds", r.testSeconds());
        m.put("trainableParams", r.trainableParams());
        return m;
    }
}

package dev.thaw.engine.cli;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.eval.Evaluator;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunDirectory;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.run.TrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thaw evaluate}: scores of a trained run on one of its splits, or on another dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained run: accuracy, top-3, macro-F1, per-class precision/recall and the "
                + "confusion matrix, printed and saved as evaluation-<split>.json in the run folder."},
        footer = {"", "Examples:", "  evaluate runs/demo-head", "  evaluate runs/demo-head --split val",
                "  evaluate runs/pets --data ~/photos/pets-2027   (every image, classes matched by name)"})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder written by train or pretrain.")
    Path run;

    @Option(names = "--split", defaultValue = "test", description = "train, val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--data", paramLabel = "SOURCE",
            description = "Evaluate on all images of another dataset instead of the run's own split.")
    String data;

    @Override
    public Integer call() {
        RunDirectory dir = RunDirectory.open(run);
        TrainConfig config = dir.readJson("config.json", TrainConfig.class);
        TrainedModel model = TrainedModel.load(run);
        DataSplits splits;
        Split which;
        if (data == null) {
            splits = Splitter.split(DataSource.open(config.data(), config.strict()), config.split());
            which = Split.valueOf(split.toUpperCase());
        } else {
            String classes = String.join(",", model.labels());
            splits = Splitter.split(DataSource.open(data, false), new SplitPlan(config.seed(), 0, 0, 0, classes));
            which = Split.TRAIN;
        }
        if (!splits.labels().equals(model.labels())) {
            throw new IllegalArgumentException("the data's classes " + splits.labels() + " differ from the model's "
                    + model.labels());
        }
        DataPipeline pipeline = new DataPipeline(splits, model.input(), model.backbone().normalization(),
                PipelineOptions.DEFAULT, new DecodeCache(FineTune.cacheDir().resolve("decoded"), 2L << 30));
        EvaluationReport report = Evaluator.evaluate(model.graph(), pipeline.evaluation(which), model.labels(),
                data == null ? which.folderName() : data, 3);
        dir.writeJson("evaluation-" + (data == null ? which.folderName() : "external") + ".json", report);
        spec.commandLine().getOut().print(report.render());
        return 0;
    }
}

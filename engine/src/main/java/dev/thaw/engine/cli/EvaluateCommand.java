package dev.thaw.engine.cli;

import dev.thaw.engine.data.Split;
import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.run.RunDirectory;
import dev.thaw.engine.run.RunEvaluation;
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

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() {
        Split which = Split.valueOf(split.toUpperCase());
        EvaluationReport report = data == null ? RunEvaluation.onSplit(run, which) : RunEvaluation.onData(run, data);
        RunDirectory.open(run).writeJson("evaluation-" + (data == null ? which.folderName() : "external") + ".json",
                report);
        json.text(spec).print(report.render());
        json.print(spec, () -> report);
        return 0;
    }
}

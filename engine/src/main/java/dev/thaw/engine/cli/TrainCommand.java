package dev.thaw.engine.cli;

import dev.thaw.engine.run.FineTune;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue a killed run from its last checkpoint, with its original settings.")
    Path resume;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (resume != null) {
            FineTune.resume(resume, out);
        } else {
            FineTune.run(train.config(data, "random", null), train.runs, out);
        }
        return 0;
    }
}

package dev.thaw.engine.cli;

import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Mixin
    UiOptions ui;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue a killed run from its last checkpoint, with its original settings.")
    Path resume;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() {
        var out = json.text(spec);
        RunResult r = ui.around(out, () -> resume != null ? FineTune.resume(resume, out)
                : FineTune.run(train.config(data, "random", null), train.runs, out));
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

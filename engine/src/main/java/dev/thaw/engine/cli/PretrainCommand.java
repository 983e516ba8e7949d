package dev.thaw.engine.cli;

import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code thaw pretrain}: train a backbone from scratch on a source task, to transfer from later. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a backbone from scratch (random weights, nothing frozen) on a source dataset. The "
                + "saved model is a weight source for train: --weights thaw:RUN_DIR/model.zip."},
        footer = {"", "Example:", "  pretrain --classes 0-4 --epochs 5 --name fmnist-a"})
final class PretrainCommand implements Callable<Integer> {

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

    @Override
    public Integer call() {
        RunResult r = ui.around(spec.commandLine().getOut(), () -> FineTune.run(train.config(data, "random",
                "full"), train.runs, spec.commandLine().getOut()));
        spec.commandLine().getOut().printf("transfer from it with: --weights thaw:%s%n", r.directory()
                .resolve("model.zip"));
        return 0;
    }
}

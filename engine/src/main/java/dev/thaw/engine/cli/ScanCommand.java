package dev.thaw.engine.cli;

import dev.thaw.engine.data.DataReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code thaw scan}: what a run would use from a dataset, and every file it would skip. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Check a dataset and show what training would use: classes, images per split, and every "
                + "skipped file with its reason."},
        footer = {"", "Examples:", "  scan --data ~/photos/pets", "  scan --classes 5-9 --per-class 20",
                "  scan --data ~/photos/pets --strict"})
final class ScanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(DataReport.render(data.splits()));
        return 0;
    }
}

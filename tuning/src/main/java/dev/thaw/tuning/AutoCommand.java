package dev.thaw.tuning;

import dev.thaw.engine.cli.DataOptions;
import dev.thaw.engine.cli.GlobalOptions;
import dev.thaw.engine.cli.JsonOutput;
import dev.thaw.engine.cli.UiOptions;
import dev.thaw.engine.cli.ThawSubcommand;
import dev.thaw.engine.run.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code thaw auto}: how much to freeze and at what learning rate, answered within a time budget. */
@Command(name = "auto", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Answer \"how much do I freeze, and at what learning rate?\" within --budget: measure a "
                + "training step at every freeze point, plan the most thorough search that fits (each freeze point "
                + "at the rate its learning-rate range test finds, successive halving up to 27 epochs), print the "
                + "plan, run it as a sweep "
                + "in --dir that starts no candidate the rest of the budget cannot pay for, export the best run to "
                + "DIR/best and print the answer with its runner-up. Re-running the same command resumes."},
        footer = {"", "Examples:",
                "  auto --data /data/pets --model resnet50 --weights imagenet --input 64 --budget 20m",
                "  auto --classes 5-9 --per-class 20 --weights thaw:runs/pre/model.zip --budget 5m --dir auto/fm"})
public final class AutoCommand implements Callable<Integer>, ThawSubcommand {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    DataOptions data;

    @Option(names = {"-m", "--model"}, paramLabel = "NAME", defaultValue = "resnet50",
            description = "Backbone: smallcnn, vgg16, resnet50, resnet18, resnet50-tv, vgg16-tv (default: "
                    + "${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--weights", paramLabel = "SOURCE", defaultValue = "imagenet",
            description = "Pretrained weights, as for train (default: ${DEFAULT-VALUE}). random searches only the "
                    + "learning rate of full training.")
    String weights;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input shape, e.g. 64 (default: the backbone's "
            + "native size; smaller inputs train much faster).")
    String input;

    @Option(names = "--batch", defaultValue = "32", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--budget", defaultValue = "20m", paramLabel = "TIME",
            description = "Wall time for everything, measuring included: 90s, 20m, 1h30m (default: ${DEFAULT-VALUE}).")
    String budget;

    @Option(names = "--dir", paramLabel = "DIR", description = "Sweep folder, resumed if it exists (default: "
            + "auto/MODEL-DATA).")
    Path dir;

    @Mixin
    UiOptions ui;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() {
        PrintWriter out = json.text(spec);
        double seconds = seconds(budget);
        TrainConfig base = TrainConfig.builder().data(data.source()).split(data.plan()).strict(data.strict())
                .model(model).weights(weights).input(input).batch(batch).seed(data.seed()).strategy("head").lr(1e-3)
                .build();
        Path folder = dir != null ? dir : Path.of("auto", model + "-" + Path.of(data.source()).getFileName());
        if (ui.enabled()) {
            SweepPage.show(folder);
        }
        Auto.Outcome outcome = ui.around(out, SweepPage.PATH, () -> Auto.run(base, seconds, folder, out));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dir", folder.toString());
        doc.put("plan", outcome.plan());
        doc.put("best", outcome.best().orElse(null));
        doc.put("runnerUp", outcome.runnerUp().orElse(null));
        doc.put("test", outcome.sweep().test().orElse(null));
        doc.put("seconds", outcome.seconds());
        doc.put("budgetSeconds", seconds);
        json.print(spec, () -> doc);
        return 0;
    }

    private double seconds(String text) {
        try {
            return Auto.budgetSeconds(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--budget " + e.getMessage());
        }
    }
}

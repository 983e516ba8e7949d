package dev.thaw.engine.cli;

import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunResult;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.Strategy;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code thaw demo}: transfer learning end to end on real data, with no download. Pretrain on Fashion-MNIST
 * classes 0–4 (tops, trousers, pullovers, dresses, coats), then learn classes 5–9 (sandals, shirts, sneakers, bags,
 * ankle boots) from a few labels per class, by several strategies and from scratch, and compare.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pretrain a backbone on Fashion-MNIST classes 0-4 (bundled sample), transfer it to classes "
                + "5-9 with 20 labels per class under head, one freeze point, full fine-tuning (and for vgg16 and "
                + "resnet50 two-phase), and compare with training from scratch. Writes every run under "
                + "runs/demo-TIMESTAMP/."},
        footer = {"", "Examples:", "  demo", "  demo --model resnet50", "  demo --per-class 10 --target-epochs 20"})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = {"-m", "--model"}, defaultValue = "smallcnn",
            description = "Backbone: smallcnn, vgg16, resnet50 (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "Input shape (default: 1x28x28 for smallcnn, 3x32x32 for the others).")
    String input;

    @Option(names = "--per-class", defaultValue = "20", description = "Target labels per class (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--source-epochs", defaultValue = "4", description = "Pretraining epochs (default: ${DEFAULT-VALUE}).")
    int sourceEpochs;

    @Option(names = "--target-epochs", defaultValue = "15", description = "Transfer epochs (default: ${DEFAULT-VALUE}).")
    int targetEpochs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--runs", defaultValue = "runs", description = "Parent of the demo folder (default: ${DEFAULT-VALUE}).")
    Path runs;

    private static final String SCRATCH = "scratch";

    /** One row of the comparison: what was run and how it did. */
    record Row(String strategy, String weights, RunResult result) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Backbone backbone = Backbones.get(model);
        String shape = input != null ? input : backbone.name().equals("smallcnn") ? "1x28x28" : "3x32x32";
        Path dir = runs.resolve("demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        TrainConfig base = TrainConfig.builder().data(DataSource.FASHION_MNIST_SAMPLE).model(model).input(shape)
                .seed(seed).batch(32).build();

        // smallcnn trains at the rates measured best for it; larger backbones at train's defaults (PyTorch's usual),
        // and also by two-phase, the strategy README recommends for them (a converged head, then everything)
        boolean smallCnn = backbone.name().equals("smallcnn");
        String middle = backbone.freezePoints().atDepth((backbone.freezePoints().maxDepth() + 1) / 2).name();
        List<String[]> runsToDo = new ArrayList<>(List.of(new String[] {"head", "1e-2"},
                new String[] {"freeze:" + middle, "3e-3"}, new String[] {"full", "1e-3"}));
        if (!smallCnn) {
            runsToDo.add(new String[] {"two-phase", null});
        }
        runsToDo.add(new String[] {SCRATCH, "1e-3"});
        int steps = runsToDo.size() + 1;

        out.printf("== 1/%d pretrain %s on classes 0-4 (source task) ==%n", steps, model);
        RunResult source = FineTune.run(base.toBuilder().name("pretrain").weights("random").strategy("full")
                .split(new SplitPlan(seed, 0.15, 0.15, 0, "0-4")).epochs(sourceEpochs)
                .lr(backbone.fromScratchLearningRate()).build(), dir, quiet(out));
        out.printf("source accuracy %.4f in %.0f s%n", source.evaluation().accuracy(), source.seconds());
        String pretrained = "thaw:" + source.directory().resolve("model.zip");

        SplitPlan target = new SplitPlan(seed, 0.15, 0.15, perClass, "5-9");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < runsToDo.size(); i++) {
            boolean scratch = runsToDo.get(i)[0].equals(SCRATCH);
            String strategy = scratch ? "full" : runsToDo.get(i)[0];
            String name = scratch ? SCRATCH : strategy.replace(':', '-');
            out.printf("== %d/%d %s on classes 5-9, %d labels per class ==%n", i + 2, steps,
                    scratch ? "from scratch" : strategy, perClass);
            RunResult r = FineTune.run(base.toBuilder().name(name).weights(scratch ? "random" : pretrained)
                    .strategy(strategy).split(target).epochs(targetEpochs)
                    .lr(smallCnn ? Double.parseDouble(runsToDo.get(i)[1])
                            : Strategy.defaultLearningRate(strategy, !scratch, backbone)).build(), dir, quiet(out));
            out.printf("accuracy %.4f in %.0f s%n", r.evaluation().accuracy(), r.seconds());
            rows.add(new Row(scratch ? "scratch (full)" : strategy, scratch ? "random" : "pretrained 0-4", r));
        }
        String table = table(rows, model, shape, perClass, (System.nanoTime() - start) / 1e9);
        Files.writeString(dir.resolve("summary.md"), table);
        out.println();
        out.print(table);
        out.printf("%nrun folders: %s%n", dir);
        return 0;
    }

    static String table(List<Row> rows, String model, String shape, int perClass, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Transfer Fashion-MNIST 0-4 -> 5-9, %s at %s, %d labels per class, test accuracy "
                + "on %d images:%n%n", model, shape, perClass, rows.get(0).result().evaluation().examples()));
        sb.append("| strategy | weights | test accuracy | macro-F1 | trainable params | wall time |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %.4f | %.4f | %,d | %.1f s |%n", r.strategy(), r.weights(),
                    r.result().evaluation().accuracy(), r.result().evaluation().macroF1(),
                    r.result().trainableParams(), r.result().seconds()));
        }
        Row scratch = rows.get(rows.size() - 1);
        Row best = rows.subList(0, rows.size() - 1).stream()
                .max((a, b) -> Double.compare(a.result().evaluation().accuracy(), b.result().evaluation().accuracy()))
                .orElseThrow();
        double gain = best.result().evaluation().accuracy() - scratch.result().evaluation().accuracy();
        sb.append(String.format("%nBest transfer (%s) %s scratch by %.1f accuracy points. Total %.0f s.%n",
                best.strategy(), gain > 0 ? "beats" : "does NOT beat (trails or ties)", Math.abs(gain) * 100,
                seconds));
        return sb.toString();
    }

    /** Per-run output (data report, progress) goes to a buffer; the demo prints its own summary lines. */
    private PrintWriter quiet(PrintWriter out) {
        return global.verbose ? out : new PrintWriter(new StringWriter());
    }
}

package dev.thaw.benchmarks.comparison;

import dev.thaw.benchmarks.BenchmarkArgs;
import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunDirectory;
import dev.thaw.engine.run.RunResult;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.tuning.FolderTree;
import dev.thaw.tuning.ResultsLog;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The FMNIST-AB protocol: which freeze strategy wins at which label budget?
 *
 * <p>Source task A = Fashion-MNIST classes 0–4, target task B = classes 5–9 (disjoint classes, real images). A
 * backbone is pretrained on A once; then every strategy of the {@link ComparisonPlan} transfers it to B with each
 * label budget and seed, for the same number of epochs, and is scored on B's test split. Each finished run is
 * appended to {@code results.jsonl}, so a killed comparison continues where it stopped when run again with the same
 * output folder; the report ({@code REPORT.md}, {@code report.html}, PNG charts) is rewritten after every run.
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=comparison.StrategyComparison -Dbench.args="--model smallcnn"}
 * ({@code --help} lists the options).
 */
public final class StrategyComparison {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What pretraining on task A produced (kept so that a resumed comparison reuses it), or the weights the plan
     * names instead ({@code accuracy} NaN: not measured here).
     *
     * @param model    the pretrained model zip, or the plan's weight spec
     * @param accuracy source test accuracy
     * @param seconds  time pretraining took
     */
    record Pretraining(String model, double accuracy, double seconds) {

        static Pretraining given(String weights) {
            return new Pretraining(weights, Double.NaN, 0);
        }

        boolean given() {
            return Double.isNaN(accuracy);
        }

        /** {@code --weights} of a transfer run. */
        String weights() {
            return given() ? model : "thaw:" + model;
        }
    }

    private StrategyComparison() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        BenchmarkArgs o = new BenchmarkArgs(args, HELP, List.of("--help", "--keep-models"), KNOWN);
        if (o.has("--help")) {
            System.out.println(HELP);
            return;
        }
        Backbone backbone = Backbones.get(o.get("--model", "smallcnn"));
        String input = o.get("--input", backbone.name().equals("smallcnn") ? "1x28x28" : "3x32x32");
        List<ComparisonPlan.Entry> strategies = ComparisonPlan.defaultStrategies(backbone);
        if (o.has("--strategies")) {
            List<ComparisonPlan.Entry> defaults = strategies;
            strategies = Arrays.stream(o.get("--strategies", "").split(","))
                    .map(spec -> ComparisonPlan.Entry.parse(spec, defaults)).toList();
        }
        List<String> recipes = o.has("--peer-recipes") ? List.of(o.get("--peer-recipes", "").split(",")) : List.of();
        ComparisonPlan plan = new ComparisonPlan(backbone.name(), input,
                o.get("--data", DataSource.FASHION_MNIST),
                ComparisonPlan.parseBudgets(o.get("--budgets", "10,20,100,all")),
                o.getInt("--seeds", 3),
                o.getInt("--source-epochs", 4),
                o.getInt("--target-epochs", 10),
                o.getInt("--batch", 32), strategies, o.get("--weights", null), o.getInt("--val-per-class", 0),
                recipes);
        Path out = o.getPath("--out", "benchmarks/results/fmnist-ab-" + backbone.name());
        String note = o.get("--note", "");
        run(plan, out, "mvn -q compile exec:exec@bench -Dbench=comparison.StrategyComparison -Dbench.args=\""
                + String.join(" ", args) + "\"", note, o.has("--keep-models"), o.get("--peer", "/usr/bin/python3"));
    }

    static void run(ComparisonPlan plan, Path out, String command, String note, boolean keepModels, String python)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("plan.json").toFile(), plan);
        Path runs = out.resolve("runs");
        Path cache = out.resolve("cache");
        // Features of every label budget and seed would otherwise pile up in the user's cache.
        System.setProperty("thaw.cache.dir", cache.toAbsolutePath().toString());
        long start = System.nanoTime();
        TrainConfig base = TrainConfig.builder().data(plan.data()).model(plan.model()).input(plan.input())
                .batch(plan.batch()).build();
        Pretraining pre = plan.weights() == null ? pretrain(plan, base, out, runs)
                : Pretraining.given(plan.weights().equals(ComparisonPlan.PEER_WEIGHTS)
                        ? "torchvision:" + PeerTransfer.pretrain(plan, out, python) : plan.weights());
        ResultsLog<ComparisonRun> log = new ResultsLog<>(out.resolve("results.jsonl"), ComparisonRun.class);
        Map<Integer, Integer> labelsPerClass = labelsPerClass(plan);
        int total = plan.budgets().size() * plan.seeds() * plan.strategies().size();
        int n = 0;
        for (int budget : plan.budgets()) {
            for (long seed = 1; seed <= plan.seeds(); seed++) {
                for (ComparisonPlan.Entry e : plan.strategies()) {
                    n++;
                    long s = seed;
                    if (log.find(r -> r.is(e.name(), budget, s)).isPresent()) {
                        continue;
                    }
                    ComparisonRun r = transfer(plan, base, e, budget, seed, pre, runs, keepModels);
                    log.append(r);
                    System.out.printf(Locale.ROOT, "[%d/%d] %s, %s labels/class, seed %d: accuracy %.4f in %.0f s%n",
                            n, total, e.name(), ComparisonPlan.budgetName(budget), seed, r.accuracy(), r.seconds());
                    ComparisonReport.write(out, plan, pre, log.all(), labelsPerClass, command, note,
                            (System.nanoTime() - start) / 1e9, false);
                }
            }
        }
        PeerTransfer.runMissing(plan, pre, log, out, python);
        ComparisonReport.write(out, plan, pre, log.all(), labelsPerClass, command, note,
                (System.nanoTime() - start) / 1e9, true);
        FolderTree.delete(cache);
        System.out.println("report: " + out.resolve("REPORT.md"));
    }

    static Pretraining pretrain(ComparisonPlan plan, TrainConfig base, Path out, Path runs)
            throws IOException {
        Path record = out.resolve("pretrain.json");
        if (Files.exists(record)) {
            Pretraining p = JSON.readValue(record.toFile(), Pretraining.class);
            if (Files.exists(Path.of(p.model()))) {
                System.out.printf(Locale.ROOT, "reusing the pretrained %s (source accuracy %.4f)%n", plan.model(),
                        p.accuracy());
                return p;
            }
        }
        System.out.printf("pretraining %s on classes %s for %d epochs%n", plan.model(),
                ComparisonPlan.SOURCE_CLASSES, plan.sourceEpochs());
        RunResult r = FineTune.run(base.toBuilder().name("pretrain").weights("random").strategy("full")
                .lr(plan.sourceLearningRate())
                .split(new SplitPlan(1, 0.15, 0.15, 0, ComparisonPlan.SOURCE_CLASSES)).epochs(plan.sourceEpochs())
                .build(), runs, quiet());
        Pretraining p = new Pretraining(r.directory().resolve("model.zip").toAbsolutePath().toString(),
                r.evaluation().accuracy(), r.seconds());
        JSON.writeValue(record.toFile(), p);
        System.out.printf(Locale.ROOT, "source accuracy %.4f in %.0f s%n", p.accuracy(), p.seconds());
        return p;
    }

    private static ComparisonRun transfer(ComparisonPlan plan, TrainConfig base, ComparisonPlan.Entry e, int budget,
            long seed, Pretraining pre, Path runs, boolean keepModels) throws IOException {
        String name = "b" + ComparisonPlan.budgetName(budget) + "-s" + seed + "-" + e.name().replaceAll("[:+]", "-");
        // A run that is not in results.jsonl was killed before it finished, or was made by another plan: redo it.
        FolderTree.delete(runs.resolve(name));
        TrainConfig config = base.toBuilder()
                .name(name)
                .weights(e.scratch() ? "random" : pre.weights())
                .strategy(e.scratch() ? "full" : e.strategy()).lr(e.lr()).batchNorm(e.batchNorm()).seed(seed)
                .epochs(plan.targetEpochs()).split(targetSplit(plan, budget, seed)).build();
        RunResult r = FineTune.run(config, runs, quiet());
        if (!keepModels) {
            // Results and metrics stay; 30 ResNet50 models would take 3 GB.
            RunDirectory dir = RunDirectory.open(r.directory());
            Files.deleteIfExists(dir.model());
            FolderTree.delete(dir.checkpoints());
        }
        return new ComparisonRun(e.name(), e.depth(), budget, seed, r.evaluation().accuracy(),
                r.evaluation().macroF1(), r.seconds(), r.trainableParams(), r.trainSeconds(), r.testSeconds());
    }

    /** Task B's split of one transfer run: the label budget and the validation cap, drawn by the seed. */
    static SplitPlan targetSplit(ComparisonPlan plan, int budget, long seed) {
        return new SplitPlan(seed, 0.15, 0.15, budget, ComparisonPlan.TARGET_CLASSES, plan.valPerClass());
    }

    /** Labels per class each budget really means (for "all": what the training split holds). */
    private static Map<Integer, Integer> labelsPerClass(ComparisonPlan plan) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (int b : plan.budgets()) {
            if (b > 0) {
                m.put(b, b);
            } else {
                DataSplits s = Splitter.split(DataSource.open(plan.data(), false), targetSplit(plan, 0, 1));
                m.put(b, s.get(Split.TRAIN).size() / s.numClasses());
            }
        }
        return m;
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }

    private static final List<String> KNOWN = List.of("--model", "--input", "--data", "--budgets", "--seeds",
            "--source-epochs", "--target-epochs", "--batch", "--strategies", "--out", "--note", "--weights",
            "--val-per-class", "--peer", "--peer-recipes");

    private static final String HELP = """
            StrategyComparison: the FMNIST-AB protocol (pretrain on Fashion-MNIST 0-4, transfer to 5-9).
              --model NAME          smallcnn | vgg16 | resnet50 (default smallcnn)
              --input CxHxW         input shape (default 1x28x28 for smallcnn, 3x32x32 otherwise)
              --data SPEC           fashion-mnist (default; Debian's 70,000 images when installed, else the
                                    bundled 10,000) or fashion-mnist-sample
              --budgets LIST        labels per class, 'all' for every training image (default 10,20,100,all)
              --seeds N             seeds 1..N per strategy and budget (default 3)
              --source-epochs N     pretraining epochs on classes 0-4 (default 4)
              --target-epochs N     epochs on classes 5-9, the same for every strategy (default 10)
              --batch N             minibatch (default 32)
              --strategies LIST     subset of: scratch, head, freeze:POINT..., full, two-phase, gradual,
                                    discriminative (default: all), or any --strategy value; each may add @LR
                                    (its learning rate) and +bn-train or +bn-frozen (its --batchnorm), e.g.
                                    head@1e-3,full@1e-4,full@1e-4+bn-train
              --weights SPEC        transfer from these weights instead of pretraining on 0-4, e.g.
                                    torchvision:pre.pth; 'peer': from the model the PyTorch peer pretrains
                                    on 0-4 for --source-epochs (the same weights on both sides)
              --val-per-class N     validation images per class of each transfer run (default: 15 %)
              --peer-recipes LIST   also run the PyTorch peer (benchmarks/peer/torch_transfer.py; resnet18,
                                    resnet50 and resnet50-tv) with these recipes on the same training images,
                                    after Thaw's runs: head, finetune, finetune-bn-frozen, scratch. Without
                                    --weights the peer pretrains its own model for --source-epochs
              --peer PYTHON         the interpreter with torch and torchvision (default /usr/bin/python3)
              --out DIR             output folder (default benchmarks/results/fmnist-ab-MODEL); re-running with
                                    the same folder resumes
              --note TEXT           a sentence for the report, e.g. how the protocol was scaled
              --keep-models         keep every run's model.zip (deleted by default; results and metrics stay)""";
}

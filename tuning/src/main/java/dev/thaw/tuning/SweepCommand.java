package dev.thaw.tuning;

import dev.thaw.engine.cli.DataOptions;
import dev.thaw.engine.cli.GlobalOptions;
import dev.thaw.engine.cli.JsonOutput;
import dev.thaw.engine.cli.ThawSubcommand;
import dev.thaw.engine.cli.TrainOptions;
import dev.thaw.engine.cli.UiOptions;
import dev.thaw.engine.run.Cluster;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.weights.WeightSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thaw sweep}: which freeze depth and learning rate work best, searched with Arbiter. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search freeze point x learning rate (and optionally strategy, updater, batch size, head "
                + "width, dropout) with "
                + "Arbiter. Every finished candidate is recorded at once; re-running the same command with the same "
                + "--dir resumes, skipping finished candidates. Writes a ranked report with charts and exports the "
                + "best run to DIR/best."},
        footer = {"", "Examples:",
                "  sweep --dir sweeps/fm --classes 5-9 --per-class 20 --weights thaw:runs/pre/model.zip "
                        + "--freeze full,block2,block3,head --lr-count 3 --epochs 5",
                "  sweep --dir sweeps/q --model resnet50 --input 64 --weights imagenet --search find "
                        + "--freeze res2,res3,res4,head --halving-eta 3 --epochs 5",
                "  sweep --dir sweeps/r --search random --candidates 20 --halving-eta 3 --min-epochs 1 --epochs 9",
                "  sweep --dir sweeps/h --freeze head --lr-count 2 --head-widths 0,64,256 --dropouts 0,0.5",
                "  sweep --dir sweeps/f --file sweep.yaml", "  sweep --dir sweeps/fm --report"})
public final class SweepCommand implements Callable<Integer>, ThawSubcommand {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    DataOptions data;

    @Mixin
    TrainOptions train;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Sweep folder (resumed if it exists).")
    Path dir;

    @Option(names = "--file", paramLabel = "FILE", description = "Sweep definition (YAML or JSON) instead of the "
            + "search flags below.")
    Path file;

    @Option(names = "--freeze", split = ",", paramLabel = "POINTS",
            description = "Freeze points to try: full, point names or depths, head (default: full and every point).")
    List<String> freeze;

    @Option(names = "--lr-min", defaultValue = "1e-4", description = "Smallest learning rate (default: ${DEFAULT-VALUE}).")
    double lrMin;

    @Option(names = "--lr-max", defaultValue = "1e-2", description = "Largest learning rate (default: ${DEFAULT-VALUE}).")
    double lrMax;

    @Option(names = "--lr-count", defaultValue = "3",
            description = "Grid: learning rates per freeze point, log-spaced (default: ${DEFAULT-VALUE}).")
    int lrCount;

    @Option(names = "--search", defaultValue = "grid", description = "grid, random, or find: a learning-rate range "
            + "test per freeze point (fastai's lr_find: 50 minibatches at a growing rate) picks its rate within "
            + "--lr-min..--lr-max, and each point trains once, at that rate (default: ${DEFAULT-VALUE}).")
    String search;

    @Option(names = "--strategies", split = ",", description = "Strategy kinds: freeze, two-phase (the head "
            + "converged on cached features, then the layers after the freeze point), discriminative (default: "
            + "freeze).")
    List<String> strategies;

    @Option(names = "--updaters", split = ",", description = "adam and/or sgd (default: adam).")
    List<String> updaters;

    @Option(names = "--batch-sizes", split = ",", description = "Batch sizes to try (default: --batch).")
    List<Integer> batchSizes;

    @Option(names = "--head-widths", split = ",", paramLabel = "WIDTHS",
            description = "Widths of a dense layer added before the output to try; 0 keeps the backbone's own head "
                    + "(default: --head-width).")
    List<Integer> headWidths;

    @Option(names = "--dropouts", split = ",", paramLabel = "P",
            description = "Dropout probabilities of that dense layer to try (default: --dropout). A width-0 "
                    + "candidate has no layer to drop: on a grid its dropout variants train the same head again.")
    List<Double> dropouts;

    @Option(names = "--candidates", defaultValue = "0",
            description = "Stop after N candidates (default: the whole grid; required for random search without "
                    + "--max-minutes).")
    int candidates;

    @Option(names = "--max-minutes", defaultValue = "0", description = "Stop starting candidates after M minutes.")
    double maxMinutes;

    @Option(names = "--halving-eta", defaultValue = "0",
            description = "Successive halving: keep the best 1/ETA per rung, ETA times the epochs (0: off).")
    int halvingEta;

    @Option(names = "--min-epochs", defaultValue = "1", description = "Successive halving: epochs in the first rung.")
    int minEpochs;

    @Option(names = "--report", description = "Only (re)write the report of an existing sweep folder.")
    boolean reportOnly;

    @Option(names = "--spark", arity = "0..1", fallbackValue = "submit", paramLabel = "MASTER",
            description = "Train candidates as Spark tasks, as many at once as the cluster has task slots: local[N], "
                    + "spark://HOST:PORT, or no value under spark-submit (its --master). The sweep folder, the "
                    + "cache (-Dthaw.cache.dir) and the data must be at the same path on every executor. Needs "
                    + "Thaw's Spark jar (README \"Running on a cluster\").")
    String spark;

    @Mixin
    UiOptions ui;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() {
        PrintWriter out = json.text(spec);
        if (reportOnly) {
            SweepReport.rewrite(dir);
            out.println("report written to " + dir.resolve("report.md") + " and report.html");
            return 0;
        }
        TrainConfig base = train.config(data, "random", "head");
        SweepSpec sweep = spec(base);
        if (!WeightSource.parse(base.weights()).pretrained() && !sweep.freeze().stream().allMatch("full"::equals)) {
            out.println("warning: the sweep freezes layers of random weights (--weights " + base.weights() + "): "
                    + "frozen, they never learn, so those candidates rank the freeze points by noise. Pass "
                    + "pretrained --weights (thaw:runs/NAME/model.zip from pretrain, imagenet, a .pth) or --freeze "
                    + "full.");
        }
        if (ui.enabled()) {
            SweepPage.show(dir);
        }
        Sweep.Outcome outcome;
        try (CandidateWorker worker = worker(base, out)) {
            outcome = ui.around(out, SweepPage.PATH, () -> Sweep.run(sweep, base, dir, out, CandidateGate.ALL,
                    worker));
        }
        out.println("report: " + dir.resolve("report.md"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dir", dir.toString());
        doc.put("best", outcome.best().orElse(null));
        doc.put("seconds", outcome.seconds());
        doc.put("candidates", outcome.records());
        json.print(spec, () -> doc);
        return 0;
    }

    /** Where candidates train: here, or on Spark with every folder they need checked on the executors first. */
    private CandidateWorker worker(TrainConfig base, PrintWriter out) {
        if (spark == null) {
            return CandidateWorker.inThisProcess();
        }
        ClusterWorkers cluster = ClusterWorkers.find();
        dir = dir.toAbsolutePath(); // executors run elsewhere, in another working folder
        return cluster.connect(spark, Cluster.sharedFolders(base.data(), dir), out);
    }

    private SweepSpec spec(TrainConfig base) {
        if (file != null) {
            return SweepSpec.read(file);
        }
        Backbone backbone = Backbones.get(base.model());
        List<String> points = freeze != null ? freeze : SweepSpec.everyFreezePoint(backbone);
        for (String p : points) {
            if (!p.equals("full")) {
                backbone.freezePoints().resolve(p);
            }
        }
        return new SweepSpec(points, lrMin, lrMax, strategies, updaters,
                batchSizes == null ? List.of(base.batch()) : batchSizes, headWidths, dropouts, base.epochs(), search,
                lrCount, candidates, maxMinutes, data.seed(), halvingEta, minEpochs);
    }
}

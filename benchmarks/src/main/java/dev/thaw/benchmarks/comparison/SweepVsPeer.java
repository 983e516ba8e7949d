package dev.thaw.benchmarks.comparison;

import dev.thaw.benchmarks.BenchmarkArgs;
import dev.thaw.benchmarks.Machine;
import dev.thaw.benchmarks.PythonPeer;
import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.Splitter;
import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.run.RunDirectory;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.tuning.Auto;
import dev.thaw.tuning.AutoPlan;
import dev.thaw.tuning.CandidateRecord;
import dev.thaw.tuning.Charts;
import dev.thaw.tuning.FolderTree;
import dev.thaw.tuning.RateFinder;
import dev.thaw.tuning.ResultsLog;
import dev.thaw.tuning.Sweep;
import dev.thaw.tuning.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Issue 13's question, timed on both sides in one invocation: how long do Thaw's {@code sweep} and the loop a
 * PyTorch user writes ({@code benchmarks/peer/torch_sweep.py}) take to answer "how much of a pretrained ResNet50
 * do I freeze, and at what learning rate?", and how good is each answer?
 *
 * <p>Both search the same space — 4 freeze points (Thaw's {@code res2..res5}, the peer's {@code layer1..layer4}:
 * frozen through the same stage) × 3 learning rates, a fixed number of epochs each — on exactly the same training
 * and validation images (Fashion-MNIST classes 5–9, drawn by Thaw's splitter and handed to the peer by index), each
 * from its own model pretrained on classes 0–4 with its own code (both kept in the output folder and reused by a
 * re-run). Each side's recipe is its own: Thaw's candidates train a new head at 10× the body's rate, the peer one
 * rate for everything. The peer runs first, then Thaw's sweep from an empty sweep folder; the report gives each
 * side's wall time, best validation accuracy and that configuration's test accuracy (5,000 test images), every
 * candidate, and a time-to-quality chart (best validation accuracy so far against wall time).
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=comparison.SweepVsPeer} ({@code --help} for the options).
 */
public final class SweepVsPeer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "benchmarks/peer/torch_sweep.py";
    /** What the peer wrote in this invocation (JSON lines), and Thaw's sweep folder: the report is made from them. */
    private static final String PEER_LOG = "peer-sweep.jsonl";
    private static final String THAW_SWEEP = "thaw-sweep";
    /** Thaw's whole sweep wall time, kept for {@code --report-only}. */
    private static final String THAW_WALL = "thaw-sweep-seconds.json";
    /** In Thaw's sweep folder when its side was {@code auto}. */
    private static final String AUTO_PLAN = "auto-plan.json";

    /** One trained candidate, on either side, and when (seconds into its side's search) it finished. */
    record Candidate(String freeze, double lr, double bestVal, double seconds, double elapsed, int epochs) {
    }

    /** One side's search: its candidates, its wall time, its best configuration and that one's test accuracy. */
    record Side(String name, List<Candidate> candidates, double seconds, String best, double bestVal,
                double testAccuracy) {
    }

    private SweepVsPeer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        BenchmarkArgs o = new BenchmarkArgs(args, HELP, List.of("--help", "--report-only", "--pretrain-only"), KNOWN);
        if (o.has("--help")) {
            System.out.println(HELP);
            return;
        }
        String model = o.get("--model", "resnet50");
        int perClass = o.getInt("--per-class", 200);
        int epochs = o.getInt("--epochs", 5);
        List<String> freeze = List.of(o.get("--freeze", "res2,res3,res4,res5").split(","));
        List<String> peerFreeze = List.of(o.get("--peer-freeze", "layer1,layer2,layer3,layer4").split(","));
        if (freeze.size() != peerFreeze.size()) {
            throw new IllegalArgumentException("--freeze and --peer-freeze must name the same points, one for one");
        }
        double lrMin = o.getDouble("--lr-min", 1e-4);
        double lrMax = o.getDouble("--lr-max", 1e-2);
        int lrCount = o.getInt("--lr-count", 3);
        String kind = o.get("--strategy", "freeze");
        ComparisonPlan plan = new ComparisonPlan(model, o.get("--input", "3x64x64"), DataSource.FASHION_MNIST,
                List.of(perClass), 1, o.getInt("--source-epochs", 1), epochs, 32, List.of(), null,
                o.getInt("--val-per-class", 200), List.of());
        Path out = o.getPath("--out", "benchmarks/results/sweep-vs-peer");
        String python = o.get("--peer", "/usr/bin/python3");
        Files.createDirectories(out);
        System.setProperty("thaw.cache.dir", out.resolve("cache").toAbsolutePath().toString());

        TrainConfig base = TrainConfig.builder().data(plan.data()).model(model).input(plan.input())
                .batch(plan.batch()).build();
        StrategyComparison.Pretraining pre = StrategyComparison.pretrain(plan, base, out, out.resolve("runs"));
        Path peerPretrained = PeerTransfer.pretrain(plan, out, python);
        var split = StrategyComparison.targetSplit(plan, perClass, 1);
        Path indices = writeIndices(Splitter.split(DataSource.open(plan.data(), false), split), out);
        if (o.has("--pretrain-only")) {
            System.out.println("pretrained models ready in " + out + " (source test accuracy, Thaw: "
                    + pre.accuracy() + ")");
            return;
        }

        int halvingEta = o.getInt("--halving-eta", 0);
        SweepSpec spec = new SweepSpec(freeze, lrMin, lrMax, List.of(kind), List.of("adam"), List.of(plan.batch()),
                List.of(), List.of(), epochs, o.get("--search", "grid"), lrCount, 0, 0, 1, halvingEta,
                o.getInt("--min-epochs", 1));
        List<String> lrs = spec.gridLearningRates().stream().map(String::valueOf).toList();
        double autoBudget = o.has("--auto") ? Auto.budgetSeconds(o.get("--auto", "")) : Double.NaN;
        if (!o.has("--report-only")) {
            // a clean measurement: nothing kept or resumed from an earlier invocation
            Files.deleteIfExists(out.resolve(PEER_LOG));
            PythonPeer.run(python, SCRIPT, List.of("--model", model, "--size", size(plan), "--epochs",
                    String.valueOf(epochs), "--freeze", String.join(",", peerFreeze), "--lrs", String.join(",", lrs),
                    "--pretrained", peerPretrained.toString(), "--indices", indices.toString(), "--out",
                    out.resolve(PEER_LOG).toString()));
            FolderTree.delete(out.resolve(THAW_SWEEP));
            TrainConfig thawBase = base.toBuilder().weights(pre.weights()).split(split).epochs(epochs).build();
            PrintWriter console = new PrintWriter(System.out, true);
            double seconds = o.has("--auto")
                    ? Auto.run(thawBase, autoBudget, freeze, out.resolve(THAW_SWEEP), console).seconds()
                    : Sweep.run(spec, thawBase, out.resolve(THAW_SWEEP), console).seconds();
            JSON.writeValue(out.resolve(THAW_WALL).toFile(), Map.of("seconds", seconds));
        }
        Side peer = peer(Files.readAllLines(out.resolve(PEER_LOG)));
        List<CandidateRecord> records = new ResultsLog<>(out.resolve(THAW_SWEEP).resolve("results.jsonl"),
                CandidateRecord.class).all();
        // a folder from before the sweep's wall time was kept: its candidates back to back
        List<RateFinder.Test> tests = List.copyOf(RateFinder.read(out.resolve(THAW_SWEEP)).values());
        double testSeconds = tests.stream().mapToDouble(t -> t.curve().seconds()).sum();
        Side thaw = thaw(isAuto(out) ? "Thaw auto" : "Thaw sweep", records, Files.exists(out.resolve(THAW_WALL))
                ? JSON.readTree(out.resolve(THAW_WALL).toFile()).get("seconds").asDouble()
                : testSeconds + records.stream().mapToDouble(CandidateRecord::seconds).sum(), testSeconds);

        String command = "mvn -q compile exec:exec@bench -Dbench=comparison.SweepVsPeer -Dbench.args=\""
                + String.join(" ", java.util.Arrays.stream(args).filter(a -> !a.equals("--report-only")).toList())
                + "\"" + (o.has("--report-only") ? " (this report rewritten afterwards from its outputs with "
                + "`--report-only`)" : "");
        Files.writeString(out.resolve("REPORT.md"), report(out, plan, pre, peer, thaw, peerFreeze, spec, command,
                o.get("--note", ""), autoBudget, tests));
        if (!tests.isEmpty()) {
            Charts.savePng(RateFinder.chart(tests), out.resolve("lr-find.png"));
        }
        Charts.savePng(Charts.lines("Time to quality", "wall time (s)", "best validation accuracy so far",
                timeToQuality(peer, thaw), false), out.resolve("time-to-quality.png"));
        FolderTree.delete(out.resolve("cache"));
        System.out.println("report: " + out.resolve("REPORT.md"));
    }

    /** {"train": [...], "val": [...]}: indices into Fashion-MNIST's 60,000 training images (Thaw's idx:N). */
    private static Path writeIndices(DataSplits splits, Path out) throws IOException {
        Path file = out.resolve("peer-indices.json");
        JSON.writeValue(file.toFile(), Map.of("train", PeerTransfer.imageIndices(splits, Split.TRAIN),
                "val", PeerTransfer.imageIndices(splits, Split.VAL)));
        return file;
    }

    /** The peer's side from the JSON lines it wrote in this invocation. */
    private static Side peer(List<String> jsonLines) throws IOException {
        List<Candidate> candidates = new ArrayList<>();
        JsonNode best = null;
        for (String line : jsonLines) {
            JsonNode l = JSON.readTree(line);
            switch (l.get("recipe").asText()) {
                case "candidate" -> candidates.add(new Candidate(l.get("freeze").asText(), l.get("lr").asDouble(),
                        l.get("best_val_accuracy").asDouble(), l.get("seconds").asDouble(),
                        l.get("elapsed").asDouble(), l.get("val_accuracy").size()));
                case "best" -> best = l;
                default -> { }
            }
        }
        if (best == null) {
            return new Side("PyTorch loop", candidates, Double.NaN, "not run", Double.NaN, Double.NaN);
        }
        return new Side("PyTorch loop", candidates, best.get("loop_seconds").asDouble() + best.get("test_seconds")
                .asDouble(), best.get("freeze").asText() + String.format(Locale.ROOT, ", lr %.0e",
                best.get("lr").asDouble()), best.get("best_val_accuracy").asDouble(),
                best.get("test_accuracy").asDouble());
    }

    /**
     * Thaw's side from its sweep's results log, and its wall time: the whole {@code Sweep.run}, candidates, the
     * winner's test scoring, report and export (the peer's is its loop and its winner's test scoring).
     */
    private static Side thaw(String name, List<CandidateRecord> records, double seconds, double testSeconds) {
        List<Candidate> candidates = new ArrayList<>();
        double elapsed = testSeconds; // a find search's range tests ran before its first candidate
        for (CandidateRecord r : records) {
            elapsed += r.seconds();
            candidates.add(new Candidate(r.freeze(), r.lr(), r.score(), r.seconds(), elapsed, r.epochs()));
        }
        Optional<CandidateRecord> best = Sweep.best(records);
        if (best.isEmpty()) {
            return new Side(name, candidates, seconds, "none", Double.NaN, Double.NaN);
        }
        CandidateRecord b = best.get();
        EvaluationReport test = RunDirectory.open(Path.of(b.runDir())).readJson("evaluation.json",
                EvaluationReport.class);
        return new Side(name, candidates, seconds, b.strategy() + String.format(Locale.ROOT, ", lr %.0e",
                b.lr()), b.score(), test.accuracy());
    }

    private static XYSeriesCollection timeToQuality(Side... sides) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Side s : sides) {
            XYSeries series = new XYSeries(s.name());
            double best = 0;
            for (Candidate c : s.candidates()) {
                best = Math.max(best, c.bestVal());
                series.add(c.elapsed(), best);
            }
            data.addSeries(series);
        }
        return data;
    }

    private static String report(Path out, ComparisonPlan plan, StrategyComparison.Pretraining pre, Side peer,
                                 Side thaw, List<String> peerFreeze, SweepSpec spec, String command, String note,
                                 double autoBudget, List<RateFinder.Test> tests) throws IOException {
        StringBuilder sb = new StringBuilder();
        String peerSource = PeerTransfer.pretraining(out).map(l -> String.format(Locale.ROOT, "%.4f",
                l.get("test_accuracy").asDouble())).orElse("not recorded");
        List<String> freeze = spec.freeze();
        String kind = spec.strategies().get(0);
        int lrCount = spec.gridLrCount();
        sb.append(String.format(Locale.ROOT, "# Sweep vs the PyTorch loop: %s at %s%n%n", plan.model(),
                plan.input()));
        sb.append(String.format(Locale.ROOT, "The same space on both sides: freeze points %s (PyTorch: frozen "
                        + "through %s) × %d learning rates, %d epochs each%s, Adam, batch %d, on the same %d training "
                        + "and %d validation images per class of Fashion-MNIST classes 5-9 (Debian's data), "
                        + "test on its 5,000 test images of 5-9. Each side starts from its own %s pretrained on "
                        + "classes 0-4 for %d epoch(s) by its own code (source test accuracy: Thaw %.4f, PyTorch %s). "
                        + "Recipes: Thaw's candidates (sweep strategy kind `%s`) %s (BatchNorm: `auto`), "
                        + "the PyTorch loop one rate for everything (frozen stages in eval mode). The PyTorch loop "
                        + "ran first, then Thaw's sweep, one after the other in this invocation.%n%n",
                String.join(", ", freeze), String.join(", ", peerFreeze), lrCount,
                plan.targetEpochs(), isAuto(out) ? " on the PyTorch side (Thaw's: as `auto` planned them, below)" : "",
                plan.batch(), plan.budgets().get(0), plan.valPerClass(), plan.model(),
                plan.sourceEpochs(), pre.accuracy(), peerSource, kind, kind.equals("two-phase")
                        ? "first train the new head alone on cached features at the rate until validation accuracy "
                        + "stops improving, then train it at that rate with the layers after the freeze point at a "
                        + "tenth of it"
                        : "train a new head at 10x the rate of the layers below it"));
        Path autoPlan = out.resolve(THAW_SWEEP).resolve(AUTO_PLAN);
        if (isAuto(out)) {
            AutoPlan p = JSON.readValue(autoPlan.toFile(), AutoPlan.class);
            sb.append(String.format(Locale.ROOT, "**Thaw's side is `auto`**, not the grid: given the budget, it "
                            + "measured a training step at each freeze point (%.0f s), planned the search below and "
                            + "ran it, starting no candidate the rest of the budget could not pay for; its wall time "
                            + "includes the measuring. Its plan:%n%n```%n%s```%n%n", p.costs().measureSeconds(),
                    p.render(autoBudget)));
        }
        sb.append(String.format(Locale.ROOT, "Machine: %s. Command: `%s`.%s%n%n",
                Machine.describe(), command,
                note.isEmpty() ? "" : " " + note));
        sb.append("| side | wall time | candidate runs | best configuration | best val accuracy | its test accuracy "
                + "|\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Side s : List.of(peer, thaw)) {
            sb.append(String.format(Locale.ROOT, "| %s | %.0f s | %d | %s | %.4f | %.4f |%n", s.name(), s.seconds(),
                    s.candidates().size(), s.best(), s.bestVal(), s.testAccuracy()));
        }
        sb.append(String.format(Locale.ROOT, "%nThaw / PyTorch wall time: %.2f (issue 13's target: <= 0.25); best "
                        + "validation accuracy, Thaw - PyTorch: %+.1f points (target: >= -0.5).%n%n",
                thaw.seconds() / peer.seconds(), (thaw.bestVal() - peer.bestVal()) * 100));
        sb.append("![time to quality](time-to-quality.png)\n\n");
        if (spec.halvingEta() > 0) {
            sb.append(String.format(Locale.ROOT, "Thaw's sweep used successive halving (eta %d): every candidate "
                    + "first trained %d epoch(s), the best 1/%d went on to %d times as many, and so on; a promoted "
                    + "candidate continues its run, and each of its rungs is a row below (its seconds are the "
                    + "rung's).%n%n", spec.halvingEta(), spec.minEpochs(), spec.halvingEta(), spec.halvingEta()));
        }
        if (!tests.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "Thaw's sweep searched with `find`: before its candidates, a "
                    + "learning-rate range test per freeze point (%d minibatches, the rate growing from %.0e to %.0e; "
                    + "%.0f s in all, in its wall time) chose each point's one rate, held to %.0e..%.0e:%n%n",
                    RateFinder.STEPS, spec.lrMin() / RateFinder.WIDEN, spec.lrMax() * RateFinder.WIDEN,
                    tests.stream().mapToDouble(t -> t.curve().seconds()).sum(), spec.lrMin(), spec.lrMax()));
            tests.forEach(t -> sb.append("- ").append(RateFinder.describe(t)).append('\n'));
            sb.append("\n![range tests](lr-find.png)\n\n");
        }
        sb.append("Every candidate, in the order Thaw ran them (the peer's loop ran each freeze point's rates "
                + "in turn); each side scores only its winner on the test split, after "
                + "its candidates (in both wall times)" + (tests.isEmpty() ? "" : "; `find` chose Thaw's rates, so "
                + "the PyTorch columns show the peer's best rate at each freeze point") + ":\n\n");
        sb.append("| freeze (Thaw / PyTorch) | lr | PyTorch best val | PyTorch s | Thaw best val | Thaw epochs | "
                + "Thaw s |\n|---|---|---|---|---|---|---|\n");
        for (Candidate t : thaw.candidates()) {
            int point = freeze.indexOf(t.freeze());
            // the same point and rate on the peer's side (each side ran the grid in its own order)
            Candidate p = peer.candidates().stream().filter(c -> peerFreeze.indexOf(c.freeze()) == point
                    && Math.abs(Math.log(c.lr() / t.lr())) < 1e-6).findFirst()
                    .or(() -> peerBestAt(peer, peerFreeze, point)).orElse(null);
            String names = point < 0 ? t.freeze() : freeze.get(point) + " / " + peerFreeze.get(point);
            sb.append(String.format(Locale.ROOT, "| %s | %.1e | %s | %s | %s | %d | %s |%n", names, t.lr(),
                    p == null ? "-" : String.format(Locale.ROOT, "%.4f", p.bestVal()),
                    p == null ? "-" : String.format(Locale.ROOT, "%.1f", p.seconds()),
                    String.format(Locale.ROOT, "%.4f", t.bestVal()), t.epochs(),
                    String.format(Locale.ROOT, "%.1f", t.seconds())));
        }
        return sb.toString();
    }

    /** The peer's best candidate at freeze point {@code point}: beside a Thaw candidate at a rate the grid lacks. */
    private static Optional<Candidate> peerBestAt(Side peer, List<String> peerFreeze, int point) {
        return peer.candidates().stream().filter(c -> peerFreeze.indexOf(c.freeze()) == point)
                .max(java.util.Comparator.comparingDouble(Candidate::bestVal));
    }

    /** Whether Thaw's side of this output folder was {@code auto} rather than a grid sweep. */
    private static boolean isAuto(Path out) {
        return Files.exists(out.resolve(THAW_SWEEP).resolve(AUTO_PLAN));
    }

    private static String size(ComparisonPlan plan) {
        return plan.input().substring(plan.input().lastIndexOf('x') + 1);
    }

    private static final List<String> KNOWN = List.of("--model", "--input", "--per-class", "--val-per-class",
            "--epochs", "--freeze", "--peer-freeze", "--strategy", "--halving-eta", "--min-epochs", "--search",
            "--lr-min", "--lr-max", "--lr-count", "--source-epochs", "--out", "--peer", "--note", "--auto");

    private static final String HELP = """
            SweepVsPeer: Thaw's sweep and the PyTorch loop on the same freeze x learning-rate space, one invocation.
              --model NAME          resnet50 (default) or resnet18
              --input CxHxW         default 3x64x64
              --per-class N         training images per class of classes 5-9 (default 200)
              --val-per-class N     validation images per class (default 200)
              --epochs N            epochs per candidate (default 5)
              --freeze LIST         Thaw's freeze points (default res2,res3,res4,res5)
              --peer-freeze LIST    the same points in torchvision's names (default layer1,layer2,layer3,layer4)
              --strategy KIND       Thaw's sweep strategy kind: freeze (the peer's recipe) or two-phase (each
                                    candidate's head converged first on cached features) (default freeze)
              --halving-eta N       Thaw's sweep with successive halving: every candidate --min-epochs (default 1),
                                    the best 1/N of them N times that, and so on (default 0: off, the full grid)
              --lr-min, --lr-max, --lr-count   the learning-rate grid, log-spaced (default 1e-4, 1e-2, 3)
              --search find         Thaw's sweep finds each freeze point's rate with a range test (within --lr-min
                                    .. --lr-max) and trains it once, instead of the grid (default grid); the peer
                                    still runs the grid. Its table then shows the peer's best rate at each point
              --auto TIME           Thaw's side is `auto` with this budget (e.g. 10m) over --freeze, instead of
                                    the grid sweep; the peer still runs the grid
              --source-epochs N     pretraining epochs on classes 0-4, each side (default 1)
              --out DIR             default benchmarks/results/sweep-vs-peer (pretrained models are reused from it)
              --peer PYTHON         interpreter with torch + torchvision (default /usr/bin/python3)
              --note TEXT           added to the report
              --report-only         rewrite the report from what the last invocation left in --out
              --pretrain-only       only pretrain both sides' models into --out (an hour's work at 64 px), for a
                                    later invocation to reuse
            """;
}

package dev.thaw.benchmarks;

import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunResult;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.tuning.CandidateRecord;
import dev.thaw.tuning.Sweep;
import dev.thaw.tuning.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Two questions about sweeps, answered with wall-clock time of real runs in one JVM:
 * <ol>
 * <li>Sharing: what does a 12-candidate sweep (4 freeze points × 3 learning rates, 5 epochs, 1,000 training
 * images) cost against one {@code freeze:} run of the same length, and against the same 12 candidates without the
 * feature cache? Targets: at most 2× and at most 1/4.</li>
 * <li>Successive halving: 12 random candidates trained to the full budget each, against successive halving (eta 3
 * from 1 epoch) over the same 12 and over 27 (the same 12 and 15 more): how much time does halving save for the
 * same best score? Plain search is credited with the moment it first reached halving's best, not its end, in the
 * order it drew its candidates and as expected over all orders it could have drawn them in.</li>
 * </ol>
 * Every case starts with an empty feature and decode cache of its own, so first-run featurization is included.
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=SweepBenchmark -Dbench.args="--model smallcnn --input 1x28x28"}
 */
public final class SweepBenchmark {

    private SweepBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        BenchmarkArgs a = new BenchmarkArgs(args, "--model NAME, --input CxHxW, --freeze P,..., --single STRATEGY, "
                + "--sharing true|false, --halving true|false, --halving-epochs N, --min-epochs N, --eta N, "
                + "--halving-candidates N,..., --out FILE", "--model", "--input", "--freeze", "--single", "--sharing",
                "--halving", "--halving-epochs", "--min-epochs", "--eta", "--halving-candidates", "--out");
        String model = a.get("--model", "smallcnn");
        String input = a.get("--input", "1x28x28");
        List<String> freeze = List.of(a.get("--freeze", "full,block2,block3,head").split(","));
        String single = a.get("--single", "freeze:block2");
        boolean sharingCase = Boolean.parseBoolean(a.get("--sharing", "true"));
        boolean halvingCase = Boolean.parseBoolean(a.get("--halving", "true"));
        int halvingEpochs = a.getInt("--halving-epochs", 9);
        int minEpochs = a.getInt("--min-epochs", 1);
        int eta = a.getInt("--eta", 3);
        List<Integer> halvingSizes = Stream.of(a.get("--halving-candidates", "12,27").split(","))
                .map(Integer::valueOf).toList();
        Path out = a.getPath("--out", "benchmarks/results/sweep-" + model + ".md");
        Path work = Files.createTempDirectory("thaw-bench-sweep");
        TrainConfig base = TrainConfig.builder().data("fashion-mnist-sample").model(model).input(input)
                .split(new SplitPlan(42, 0.05, 0.05, 200, "0-4")).epochs(5).batch(32).build();

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Sweep benchmark: %s at %s%n%nMachine: %s. Data: "
                        + "Fashion-MNIST classes 0-4 (bundled sample), 200 training images per class (1,000), 50 "
                        + "validation and 50 test images per class. Command: `mvn -q compile exec:exec@bench "
                        + "-Dbench=SweepBenchmark -Dbench.args=\"%s\"`.%n%n", model, input,
                Machine.describe(), String.join(" ", args)));
        if (sharingCase) {
            md.append(sharing(base, freeze, single, work));
        }
        if (halvingCase) {
            md.append(halving(base, freeze, halvingEpochs, minEpochs, eta, halvingSizes, work));
        }
        System.out.print(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.println("written to " + out);
    }

    private static String sharing(TrainConfig base, List<String> freeze, String single, Path work) {
        useCache(work.resolve("cache-single"));
        long t = System.nanoTime();
        RunResult one = FineTune.run(base.toBuilder().strategy(single).name("single").build(), work, quiet());
        double singleSeconds = seconds(t);

        SweepSpec grid = new SweepSpec(freeze, 1e-3, 1e-2, null, null, null, null, null, 5, "grid", 3, 0, 0, 1, 0,
                1);
        useCache(work.resolve("cache-sweep"));
        Sweep.Outcome shared = Sweep.run(grid, base, work.resolve("sweep"), quiet());
        useCache(work.resolve("cache-nocache"));
        Sweep.Outcome unshared = Sweep.run(grid, base.toBuilder().featureCache(false).build(),
                work.resolve("sweep-nocache"), quiet());

        StringBuilder md = new StringBuilder();
        md.append("## Sharing featurization across candidates\n\n| run | wall time | ratio | features computed/reused |\n"
                + "|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| one `%s` run, 5 epochs | %.1f s | 1.00 | %d/%d |%n", single,
                singleSeconds, one.featuresComputed(), one.featuresReused()));
        md.append(row("12-candidate sweep " + freeze + " x 3 lr, feature cache", shared, singleSeconds));
        md.append(row("same 12 candidates without the feature cache", unshared, singleSeconds));
        md.append(String.format(Locale.ROOT, "%nSweep / single run: %.2fx (target <= 2). Sweep / no-cache sweep: %.2f "
                + "(target <= 0.25). Best: %s.%n", shared.seconds() / singleSeconds, shared.seconds()
                / unshared.seconds(), describe(shared)));
        md.append(perStrategy(shared, unshared));
        return md.toString();
    }

    /** Where the sweep's time goes: seconds per freeze point, with and without the cache. */
    private static String perStrategy(Sweep.Outcome shared, Sweep.Outcome unshared) {
        StringBuilder sb = new StringBuilder("\n| freeze point | candidates | time with cache | time without |\n"
                + "|---|---|---|---|\n");
        java.util.Map<String, double[]> t = new java.util.LinkedHashMap<>();
        for (CandidateRecord r : shared.records()) {
            t.computeIfAbsent(r.freeze(), k -> new double[3])[0] += r.seconds();
            t.get(r.freeze())[2]++;
        }
        for (CandidateRecord r : unshared.records()) {
            t.computeIfAbsent(r.freeze(), k -> new double[3])[1] += r.seconds();
        }
        t.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f s | %.1f s |%n", k, v[2], v[0],
                v[1])));
        return sb.toString();
    }

    private static String halving(TrainConfig base, List<String> freeze, int halvingEpochs, int minEpochs, int eta,
                                  List<Integer> sizes, Path work) {
        useCache(work.resolve("cache-random"));
        Sweep.Outcome plain = Sweep.run(randomSpec(freeze, halvingEpochs, 12, 0, 1), base, work.resolve("random"),
                quiet());
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n## Successive halving vs plain random search%n%nRandom candidates "
                + "(seed 3: every search below draws the same sequence, so a larger one sees the smaller one's "
                + "candidates and more), learning rate log-uniform in [1e-4, 3e-2], freeze point from %s, %d epochs "
                + "at most. Times are training time summed over candidates, in the order they ran.%n%n"
                + "| search | training time | training runs | best validation accuracy | best candidate | plain "
                + "search's time to the same score, in its order / expected over orders | halving saves |%n"
                + "|---|---|---|---|---|---|---|%n",
                freeze, halvingEpochs));
        md.append(String.format(Locale.ROOT, "| random, 12 candidates, every one %d epochs | %.1f s | %d | %.4f | %s "
                + "| — | — |%n", halvingEpochs, trainingSeconds(plain), plain.records().size(), score(plain),
                describe(plain)));
        for (int n : sizes) {
            useCache(work.resolve("cache-halving-" + n));
            Sweep.Outcome halved = Sweep.run(randomSpec(freeze, halvingEpochs, n, eta, minEpochs), base,
                    work.resolve("halving-" + n), quiet());
            double took = trainingSeconds(halved);
            double inOrder = secondsToReach(plain, score(halved));
            double expected = expectedSecondsToReach(plain, score(halved));
            String reach = Double.isNaN(inOrder) ? String.format(Locale.ROOT, "never (its best is %.4f)", score(plain))
                    : String.format(Locale.ROOT, "%.1f s / %.1f s", inOrder, expected);
            String saves = Double.isNaN(inOrder) ? String.format(Locale.ROOT, "%.0f%% against its whole run",
                    percentSaved(took, trainingSeconds(plain)))
                    : String.format(Locale.ROOT, "%.0f%% / %.0f%%", percentSaved(took, inOrder),
                    percentSaved(took, expected));
            md.append(String.format(Locale.ROOT, "| successive halving, %d candidates, eta %d from %d epoch(s) | "
                    + "%.1f s | %d | %.4f | %s | %s | %s |%n", n, eta, minEpochs, took, halved.records().size(),
                    score(halved), describe(halved), reach, saves));
        }
        return md.toString();
    }

    private static double percentSaved(double took, double against) {
        return 100 * (1 - took / against);
    }

    private static SweepSpec randomSpec(List<String> freeze, int epochs, int candidates, int eta, int minEpochs) {
        return new SweepSpec(freeze, 1e-4, 3e-2, null, null, null, null, null, epochs, "random", 0, candidates, 0, 3,
                eta, minEpochs);
    }

    private static double trainingSeconds(Sweep.Outcome o) {
        return o.records().stream().mapToDouble(CandidateRecord::seconds).sum();
    }

    /**
     * The same over every order a random search could have drawn these candidates in: with k of them scoring at
     * least {@code score}, a candidate that does not is trained before all k with probability 1/(k+1), and each
     * that does is the first of them with probability 1/k. NaN if none does.
     */
    private static double expectedSecondsToReach(Sweep.Outcome o, double score) {
        List<CandidateRecord> ok = o.records().stream().filter(CandidateRecord::ok).toList();
        long k = ok.stream().filter(r -> r.score() >= score).count();
        if (k == 0) {
            return Double.NaN;
        }
        double reaching = ok.stream().filter(r -> r.score() >= score).mapToDouble(CandidateRecord::seconds).sum();
        double failing = o.records().stream().filter(r -> !r.ok() || r.score() < score)
                .mapToDouble(CandidateRecord::seconds).sum();
        return reaching / k + failing / (k + 1);
    }

    /** Training time a search had spent when a candidate first scored at least {@code score}; NaN if none did. */
    private static double secondsToReach(Sweep.Outcome o, double score) {
        double t = 0;
        for (CandidateRecord r : o.records()) {
            t += r.seconds();
            if (r.ok() && r.score() >= score) {
                return t;
            }
        }
        return Double.NaN;
    }

    private static String row(String what, Sweep.Outcome o, double single) {
        int computed = o.records().stream().mapToInt(CandidateRecord::featuresComputed).sum();
        int reused = o.records().stream().mapToInt(CandidateRecord::featuresReused).sum();
        return String.format(Locale.ROOT, "| %s | %.1f s | %.2f | %d/%d |%n", what, o.seconds(), o.seconds() / single,
                computed, reused);
    }

    private static double score(Sweep.Outcome o) {
        return o.best().map(CandidateRecord::score).orElse(Double.NaN);
    }

    private static String describe(Sweep.Outcome o) {
        return o.best().map(b -> String.format(Locale.ROOT, "c%03d %s lr %.2e (%d epochs)", b.index(), b.strategy(),
                b.lr(), b.epochs())).orElse("none");
    }

    private static void useCache(Path dir) {
        System.setProperty("thaw.cache.dir", dir.toString());
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}

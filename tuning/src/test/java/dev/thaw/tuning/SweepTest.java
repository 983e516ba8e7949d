package dev.thaw.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.cli.ThawCli;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.run.RunDirectory;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.Heads;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps on a few hundred real Fashion-MNIST images with the small backbone: fast, but every part real. */
class SweepTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void cacheDir() {
        System.setProperty("thaw.cache.dir", dir.resolve("cache").toString());
        System.setProperty("thaw.progress", "off");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("thaw.cache.dir");
    }

    static final String[] DATA = {"--data", "fashion-mnist-sample", "--classes", "0-2", "--per-class", "30",
            "--val", "0.02", "--test", "0.02", "--input", "1x28x28"};

    static TrainConfig base(int epochs) {
        return TrainConfig.builder().data("fashion-mnist-sample").split(new SplitPlan(42, 0.02, 0.02, 30, "0-2"))
                .input("1x28x28").epochs(epochs).batch(16).build();
    }

    static SweepSpec grid(List<String> freeze, double lrMin, double lrMax, int lrCount, int epochs) {
        return SweepSpec.grid(freeze, lrMin, lrMax, lrCount, epochs);
    }

    private static String run(SweepSpec spec, TrainConfig base, Path sweepDir) {
        StringWriter out = new StringWriter();
        Sweep.run(spec, base, sweepDir, new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void gridCoversFreezeTimesLearningRateSharesFeaturesAndReports() throws Exception {
        Path d = dir.resolve("grid");
        String out = run(grid(List.of("full", "block3", "head"), 1e-3, 1e-2, 2, 2), base(2), d);
        List<CandidateRecord> records = new ResultsLog<>(d.resolve("results.jsonl"), CandidateRecord.class).all();
        assertEquals(6, records.size(), out);
        Set<String> combos = new HashSet<>();
        for (CandidateRecord r : records) {
            assertTrue(r.ok(), r.reason());
            assertEquals(2, r.valScores().size());
            assertEquals(java.util.Collections.max(r.valScores()), r.score(), 1e-12, "scored by its kept best epoch");
            combos.add(r.freeze() + "@" + String.format("%.0e", r.lr()));
        }
        assertEquals(Set.of("full@1e-03", "full@1e-02", "block3@1e-03", "block3@1e-02", "head@1e-03",
                "head@1e-02"), combos);
        // Two frozen freeze points x (train + val): 4 featurizations in all, however many learning rates.
        assertEquals(4, records.stream().mapToInt(CandidateRecord::featuresComputed).sum(), out);
        assertEquals(4, records.stream().mapToInt(CandidateRecord::featuresReused).sum(), out);
        for (String f : List.of("report.md", "report.html", "score-vs-lr.png", "heatmap.png", "best/model.zip",
                "best/config.json")) {
            assertTrue(Files.isRegularFile(d.resolve(f)), f);
        }
        CandidateRecord best = Sweep.best(records).orElseThrow();
        assertTrue(Files.readString(d.resolve("report.md")).contains(String.format("Best: c%03d", best.index())));
        // only the winner is scored on the test split, as its own run would have been
        for (CandidateRecord r : records) {
            assertEquals(r == best, Files.exists(Path.of(r.runDir()).resolve("evaluation.json")), r.runDir());
        }
        EvaluationReport test = RunDirectory.open(d.resolve("best")).readJson("evaluation.json",
                EvaluationReport.class);
        assertEquals("test", test.split());
        assertTrue(out.contains(String.format(Locale.ROOT, "best candidate c%03d on the test split (the only "
                + "candidate scored on it): accuracy %.4f", best.index(), test.accuracy())), out);

        String again = run(grid(List.of("full", "block3", "head"), 1e-3, 1e-2, 2, 2), base(2), d);
        assertEquals(6, new ResultsLog<>(d.resolve("results.jsonl"), CandidateRecord.class).all().size(), "nothing redone: " + again);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(grid(List.of("head"), 1e-3, 1e-2, 2, 2), base(2), d));
        assertTrue(e.getMessage().contains("holds a different sweep"), e.getMessage());
    }

    @Test
    void findTestsEachFreezePointOnceAndTrainsItOnceAtTheRateItsTestSuggests() throws Exception {
        Path d = dir.resolve("find");
        SweepSpec spec = new SweepSpec(List.of("full", "block3", "head"), 1e-4, 1e-1, null, null, null, null, null, 2,
                "find", 0, 0, 0, 1, 0, 1);
        String out = run(spec, base(2), d);
        List<CandidateRecord> records = new ResultsLog<>(d.resolve("results.jsonl"), CandidateRecord.class).all();
        assertEquals(3, records.size(), out);
        assertTrue(out.contains("learning-rate range tests: 3, each 50 minibatches at rates from 1e-06 to 1e+01"),
                out);
        java.util.Map<TrainConfig, RateFinder.Test> tests = RateFinder.read(d);
        assertEquals(3, tests.size());
        for (CandidateRecord r : records) {
            assertTrue(r.ok(), r.reason());
            RateFinder.Test t = tests.values().stream().filter(x -> x.config().strategy().equals(r.strategy()))
                    .findFirst().orElseThrow();
            assertEquals(t.rate(), r.lr(), 0, r.strategy() + " trains at its test's rate");
            assertEquals(Math.max(1e-4, Math.min(1e-1, t.curve().suggestion())), t.rate(), 0, "held to the bounds");
        }
        // (frozen random layers learn little in 2 epochs: only full training is held to learning something)
        CandidateRecord full = records.stream().filter(r -> r.strategy().equals("full")).findFirst().orElseThrow();
        assertTrue(full.score() > 0.5, "full training at its found rate learned: " + full.score() + " (3 classes)");
        // the tests featurized the training images at block3 and head (or found them cached by an earlier test of
        // this class); the candidates reused them, computing at most their validation features
        for (CandidateRecord r : records.stream().filter(r -> !r.strategy().equals("full")).toList()) {
            assertTrue(r.featuresReused() >= 1 && r.featuresComputed() <= 1, r.strategy() + ": " + out);
        }
        assertTrue(Files.readString(d.resolve("report.md")).contains("## Learning-rate range tests"));
        assertTrue(Files.isRegularFile(d.resolve("lr-find.png")));

        String again = run(spec, base(2), d);
        assertEquals(3, again.split("from an earlier start", -1).length - 1, "no test runs twice: " + again);
        assertEquals(3, new ResultsLog<>(d.resolve("results.jsonl"), CandidateRecord.class).all().size(), again);
    }

    @Test
    void headWidthAndDropoutAreSearchedAndShareOneFeaturization() throws Exception {
        Path d = dir.resolve("heads");
        SweepSpec spec = new SweepSpec(List.of("head"), 1e-3, 1e-3, null, null, null, List.of(8, 16),
                List.of(0.0, 0.5), 1, "grid", 1, 0, 0, 7, 0, 1);
        String out = run(spec, base(1), d);
        List<CandidateRecord> records = new ResultsLog<>(d.resolve("results.jsonl"), CandidateRecord.class).all();
        Set<String> combos = new HashSet<>();
        for (CandidateRecord r : records) {
            assertTrue(r.ok(), r.reason());
            combos.add(r.headWidth() + "/" + r.dropout());
            ComputationGraph g = ComputationGraph.load(Path.of(r.runDir(), "model.zip").toFile(), false);
            DenseLayer dense = (DenseLayer) g.getLayer(Heads.DENSE).conf().getLayer();
            assertEquals(r.headWidth(), dense.getNOut(), "the trained head has the recorded width");
            assertEquals(r.dropout() > 0, dense.getIDropout() != null, "dropout only where recorded");
        }
        assertEquals(Set.of("8/0.0", "8/0.5", "16/0.0", "16/0.5"), combos, out);
        // The head sits behind the frozen backbone: all four read the same features (train + val), computed at
        // most once (another test of this class may have computed them already).
        int computed = records.stream().mapToInt(CandidateRecord::featuresComputed).sum();
        assertTrue(computed <= 2, out);
        assertEquals(8 - computed, records.stream().mapToInt(CandidateRecord::featuresReused).sum(), out);
        assertTrue(Files.readString(d.resolve("report.md")).contains("dense 16, dropout 0.50"));
    }

    @Test
    void aFailingCandidateIsRecordedAndTheSweepGoesOn() throws Exception {
        Path d = dir.resolve("failing");
        run(grid(List.of("full"), 1e-3, 1e9, 2, 1), base(1), d);
        List<CandidateRecord> records = new ResultsLog<>(d.resolve("results.jsonl"), CandidateRecord.class).all();
        assertEquals(2, records.size());
        CandidateRecord bad = records.stream().filter(r -> !r.ok()).findFirst().orElseThrow();
        assertTrue(bad.reason().contains("training diverged"), bad.reason());
        assertTrue(records.stream().anyMatch(CandidateRecord::ok));
        assertTrue(Files.readString(d.resolve("report.md"))
                .contains("failed: TrainingDivergedException"), "failure in the report");
    }

    @Test
    void randomSearchIsSeededAndLogUniform() {
        SweepSpec spec = new SweepSpec(List.of("full", "head"), 1e-4, 1e-1, List.of("freeze", "two-phase"), null,
                List.of(16, 32), null, null, 2, "random", 0, 30, 0, 11, 0, 1);
        List<Double> lrs = new ArrayList<>();
        List<String> first = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            RandomSearchGenerator g = new RandomSearchGenerator(new TrainConfigSpace(base(2), spec, null, null), null);
            g.setRngSeed(11);
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                TrainConfig c = (TrainConfig) g.getCandidate().getValue();
                seen.add(c.strategy() + "/" + c.lr() + "/" + c.batch());
                lrs.add(c.lr());
            }
            if (pass == 0) {
                first.addAll(seen);
            } else {
                assertEquals(first, seen, "same seed, same candidates");
            }
        }
        assertTrue(lrs.stream().allMatch(v -> v >= 1e-4 && v <= 1e-1));
        long belowGeometricMean = lrs.stream().filter(v -> v < Math.sqrt(1e-4 * 1e-1)).count();
        assertTrue(belowGeometricMean > 10 && belowGeometricMean < 50, "log-uniform: about half below 3.2e-3, got "
                + belowGeometricMean + " of 60");
        assertTrue(first.stream().anyMatch(s -> s.startsWith("two-phase:auto:none")));
    }

    @Test
    void successiveHalvingPromotesTheBestAndContinuesTheirRuns() throws Exception {
        Path d = dir.resolve("halving");
        SweepSpec spec = new SweepSpec(List.of("full", "block2", "block3", "head"), 1e-3, 1e-2, null, null, null,
                null, null, 4, "random", 0, 6, 0, 5, 2, 1);
        run(spec, base(4), d);
        List<CandidateRecord> records = new ResultsLog<>(d.resolve("results.jsonl"), CandidateRecord.class).all();
        assertEquals(List.of(6L, 3L, 1L), List.of(records.stream().filter(r -> r.rung() == 0).count(),
                records.stream().filter(r -> r.rung() == 1).count(), records.stream().filter(r -> r.rung() == 2).count()));
        CandidateRecord best = Sweep.best(records).orElseThrow();
        assertEquals(2, best.rung());
        assertEquals(4, best.epochs());
        assertEquals(5, Files.readAllLines(Path.of(best.runDir()).resolve("metrics.csv")).size(),
                "4 epochs in one run: promoted runs continue, they do not restart");
        double rung0Best = records.stream().filter(r -> r.rung() == 0 && r.ok())
                .mapToDouble(CandidateRecord::score).max().orElseThrow();
        CandidateRecord bestRung0 = records.stream().filter(r -> r.rung() == 0 && r.score() == rung0Best)
                .findFirst().orElseThrow();
        assertTrue(records.stream().anyMatch(r -> r.rung() == 1 && r.index() == bestRung0.index()),
                "the best of rung 0 is promoted");
    }

    /** This module's classpath, like a local user's, has no Spark: --spark says how to get Thaw's Spark jar. */
    @Test
    void sparkWithoutThawsSparkJarIsOneLineSayingHowToGetIt() {
        for (String[] args : List.of(
                new String[] {"sweep", "--dir", dir.resolve("no-spark").toString(), "--spark", "local[2]"},
                new String[] {"train", "--runs", dir.resolve("no-spark-runs").toString(), "--spark", "local[2]"},
                new String[] {"featurize", "--spark"})) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertEquals(1, ThawCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true)), args[0]);
            assertEquals("thaw " + args[0] + ": --spark needs Thaw's Spark jar, which this classpath lacks: build it "
                    + "with 'mvn -Pspark-jar package -DskipTests -pl spark -am' and run it with spark-submit (README "
                    + "\"Running on a cluster\")", err.toString().strip());
        }
    }

    /** A real kill: a separate JVM runs the sweep command and is SIGKILLed mid-way; the sweep is then re-run here. */
    @Test
    void killedSweepResumesWithoutRunningAnyCandidateTwiceOrLosingOne() throws Exception {
        Path d = dir.resolve("killed");
        List<String> args = new ArrayList<>(List.of("sweep", "--dir", d.toString(), "--freeze", "full,block2,block3,head",
                "--lr-min", "1e-3", "--lr-max", "1e-2", "--lr-count", "2", "--epochs", "2", "--batch", "16"));
        args.addAll(List.of(DATA));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dthaw.progress=off",
                "-Dthaw.cache.dir=" + dir.resolve("cache-killed"), ThawCli.class.getName()));
        String bytedeco = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (bytedeco != null) {
            cmd.add(1, "-Dorg.bytedeco.javacpp.cachedir=" + bytedeco);
        }
        cmd.addAll(args);
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sweep-child.log").toFile()).start();
        Path results = d.resolve("results.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (child.isAlive() && System.nanoTime() < deadline
                && (!Files.exists(results) || Files.readAllLines(results).size() < 3)) {
            Thread.sleep(50);
        }
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        List<CandidateRecord> before = new ResultsLog<>(results, CandidateRecord.class).all();
        assertTrue(before.size() >= 3 && before.size() < 8, "killed mid-way after " + before.size() + " candidates: "
                + Files.readString(dir.resolve("sweep-child.log")));

        System.setProperty("thaw.cache.dir", dir.resolve("cache-killed").toString());
        StringWriter json = new StringWriter();
        StringWriter out = new StringWriter(); // with --json, the text goes to stderr
        args.add("--json");
        int code = ThawCli.run(args.toArray(String[]::new), new PrintWriter(json, true), new PrintWriter(out, true));
        System.setProperty("thaw.cache.dir", dir.resolve("cache").toString());
        assertEquals(0, code, out.toString());
        var doc = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(json.toString());
        assertEquals(8, doc.get("candidates").size(), json.toString());
        assertEquals(Sweep.best(new ResultsLog<>(results, CandidateRecord.class).all()).orElseThrow().index(),
                doc.get("best").get("index").asInt());
        List<CandidateRecord> after = new ResultsLog<>(results, CandidateRecord.class).all();
        assertEquals(8, after.size(), "none missing: " + out);
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), after.stream().map(CandidateRecord::index)
                .collect(java.util.stream.Collectors.toSet()), "none twice");
        assertEquals(before, after.subList(0, before.size()), "finished candidates were not redone");
        assertTrue(out.toString().contains("(" + before.size() + " already done before this start)"), out.toString());
    }

    @Test
    void aStoppedSweepRecordsItsCandidateAsInterruptedAndFinishesItOnResume() throws Exception {
        Path d = dir.resolve("stopped");
        // 50 epochs a candidate: long enough for the stop to land mid-training
        SweepSpec spec = new SweepSpec(List.of("block3", "head"), 1e-3, 1e-3, null, null, null, null, null, 50,
                "grid", 1, 0, 0, 1, 3, 50);
        int[] asked = {0};
        CandidateGate sigtermDuringTheSecond = (config, done) -> {
            if (++asked[0] == 2) { // as the signal handler does, once the second candidate's run has begun
                Thread signal = new Thread(() -> {
                    Path started = d.resolve("candidates/c001/config.json");
                    while (!Files.exists(started)) {
                        Thread.onSpinWait();
                    }
                    dev.thaw.engine.train.StopSignal.request("SIGTERM");
                });
                signal.setDaemon(true);
                signal.start();
            }
            return Optional.empty();
        };
        try {
            assertThrows(dev.thaw.engine.train.TrainingStoppedException.class, () -> Sweep.run(spec,
                    base(1), d, new PrintWriter(new StringWriter()), sigtermDuringTheSecond));
        } finally {
            dev.thaw.engine.train.StopSignal.clear();
        }
        List<CandidateRecord> stopped = new ResultsLog<>(d.resolve("results.jsonl"), CandidateRecord.class).all();
        assertEquals(List.of("ok", "interrupted"), stopped.stream().map(CandidateRecord::status).toList());
        assertEquals("stopped by SIGTERM", stopped.get(1).reason());

        Sweep.Outcome resumed = Sweep.run(spec, base(1), d, new PrintWriter(new StringWriter()));
        assertEquals(1, resumed.skipped(), "the finished one is not trained again, the interrupted one is");
        assertEquals(2, resumed.records().stream().filter(CandidateRecord::ok).count());
        assertEquals(1, resumed.records().stream().filter(r -> r.index() == stopped.get(1).index() && r.ok())
                .count());
        assertFalse(Files.readString(d.resolve("report.md")).contains("interrupted"),
                "the report shows the resumed candidate's result, not its interruption");
    }
}

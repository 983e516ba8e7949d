package dev.thaw.tuning;

import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.run.FolderLock;
import dev.thaw.engine.run.RunDirectory;
import dev.thaw.engine.run.RunEvaluation;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.StopSignal;
import dev.thaw.engine.train.TrainingStoppedException;
import dev.thaw.zoo.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * A hyperparameter sweep over freeze depth × learning rate (and more) with Arbiter, in a folder that survives
 * crashes: {@code sweep.json} (what is searched), {@code results.jsonl} (every finished candidate),
 * {@code candidates/cNNN/} (each candidate's run), {@code report.md}/{@code report.html} with charts, and
 * {@code best/} (the best candidate's run, usable by {@code evaluate} and {@code predict}).
 *
 * <p>Candidates with the same freeze point share one featurization through the engine's feature cache (same
 * backbone, weights and data, so the same key): a sweep featurizes each distinct freeze point once.
 */
public final class Sweep {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param records every record of the sweep, in the order they were recorded
     * @param best    the best successful candidate at its final budget, if any
     * @param seconds wall time of this invocation
     * @param skipped candidates found finished in the results log and not trained again
     * @param test    the best candidate's score on the test split (validation when the data has none)
     */
    public record Outcome(List<CandidateRecord> records, Optional<CandidateRecord> best, double seconds,
                          int skipped, Optional<EvaluationReport> test) {
    }

    /** What {@code sweep.json} holds; a re-run must ask for the same. */
    record Definition(SweepSpec spec, TrainConfig base) {
    }

    private Sweep() {
    }

    /** Runs (or resumes) the sweep in {@code dir}, then writes the report and exports the best run. */
    public static Outcome run(SweepSpec spec, TrainConfig base, Path dir, PrintWriter out) {
        return run(spec, base, dir, out, CandidateGate.ALL);
    }

    /**
     * Runs (or resumes) the sweep, asking {@code gate} before each candidate's training (successive halving only:
     * {@code spec.halvingEta() > 0}).
     */
    public static Outcome run(SweepSpec spec, TrainConfig base, Path dir, PrintWriter out, CandidateGate gate) {
        return run(spec, base, dir, out, gate, CandidateWorker.inThisProcess());
    }

    /**
     * Runs (or resumes) the sweep with its candidates trained by {@code worker} ({@link CandidateWorker#slots()} at
     * a time, on Spark for instance); everything else, the results log included, stays in this process.
     */
    public static Outcome run(SweepSpec spec, TrainConfig base, Path dir, PrintWriter out, CandidateGate gate,
                              CandidateWorker worker) {
        if (gate != CandidateGate.ALL && spec.halvingEta() == 0) {
            throw new IllegalArgumentException("a candidate gate needs a successive-halving sweep (halvingEta > 0)");
        }
        try (FolderLock lock = FolderLock.acquire(dir, "sweep")) { // one process per sweep folder
            return search(spec, base, dir, out, gate, worker);
        }
    }

    private static Outcome search(SweepSpec spec, TrainConfig base, Path dir, PrintWriter out, CandidateGate gate,
                                  CandidateWorker worker) {
        long start = System.nanoTime();
        checkDefinition(new Definition(spec, base), dir);
        ResultsLog<CandidateRecord> log = new ResultsLog<>(dir.resolve("results.jsonl"), CandidateRecord.class);
        CandidateRunner runner = new CandidateRunner(dir, log, out, worker);
        boolean find = spec.search().equals("find");
        Map<TrainConfig, Double> found = find ? RateFinder.findAll(spec, base, dir, out, worker) : null;
        List<Double> gridLr = spec.search().equals("grid") ? spec.gridLearningRates()
                : find ? RateFinder.undecided() : null;
        TrainConfigSpace space = new TrainConfigSpace(base, spec, gridLr, found);
        CandidateGenerator generator;
        int count;
        if (gridLr != null) {
            GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(space, 1,
                    GridSearchCandidateGenerator.Mode.Sequential, null);
            generator = grid;
            int gridSize = grid.getTotalNumCandidates();
            count = spec.maxCandidates() > 0 ? Math.min(spec.maxCandidates(), gridSize) : gridSize;
        } else {
            RandomSearchGenerator random = new RandomSearchGenerator(space, null);
            random.setRngSeed(spec.seed());
            generator = random;
            if (spec.maxCandidates() <= 0 && spec.maxMinutes() <= 0) {
                throw new IllegalArgumentException("a random search needs a limit: --candidates N or --max-minutes M");
            }
            count = spec.maxCandidates() > 0 ? spec.maxCandidates() : Integer.MAX_VALUE;
        }
        out.printf("sweep %s: %s search, %s candidates%s, trained %s%n", dir, spec.search(),
                count == Integer.MAX_VALUE ? "unlimited" : String.valueOf(count),
                spec.halvingEta() > 0 ? ", successive halving (eta " + spec.halvingEta() + ", from "
                        + spec.minEpochs() + " epochs)" : "", worker.where());
        if (spec.halvingEta() > 0) {
            SuccessiveHalving.run(generator, count, spec, runner, gate, out);
        } else {
            List<TerminationCondition> stop = new ArrayList<>();
            stop.add(new MaxCandidatesCondition(count));
            stop.add(new GeneratorExhausted(generator));
            if (spec.maxMinutes() > 0) {
                stop.add(new MaxTimeCondition((long) (spec.maxMinutes() * 60_000), TimeUnit.MILLISECONDS));
            }
            OptimizationConfiguration config = new OptimizationConfiguration.Builder()
                    .candidateGenerator(generator).scoreFunction(new ValidationAccuracy())
                    .terminationConditions(stop).rngSeed(spec.seed()).build();
            new LocalOptimizationRunner(runner.slots(), config, new ThawTaskCreator(runner)).execute();
        }
        // Arbiter's runner records a task's exception and goes on to the next candidate; each refuses to start
        StopSignal.requested().ifPresent(signal -> {
            throw new TrainingStoppedException(signal, 0, "sweep " + dir + " stopped by " + signal + " ("
                    + log.all().size() + " candidate runs recorded): re-run the same command to resume it");
        });
        List<CandidateRecord> records = log.all();
        Optional<CandidateRecord> best = best(records);
        SweepReport.write(dir, records, best);
        Optional<EvaluationReport> test = best.map(b -> {
            EvaluationReport score = scoreOnTest(b, out);
            exportBest(Path.of(b.runDir()), dir.resolve("best"));
            return score;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%d candidate runs recorded (%d already done before this start); best: %s in %.0f s%n",
                records.size(), runner.skipped(), best.map(b -> String.format("c%03d %s lr %.2e val acc %.4f",
                        b.index(), b.strategy(), b.lr(), b.score())).orElse("none"), seconds);
        out.flush();
        return new Outcome(records, best, seconds, runner.skipped(), test);
    }

    /** The best candidate at its largest budget: with halving, later rungs outrank earlier ones. */
    public static Optional<CandidateRecord> best(List<CandidateRecord> records) {
        return records.stream().filter(CandidateRecord::ok)
                .max(Comparator.comparingInt(CandidateRecord::rung).thenComparingDouble(CandidateRecord::score));
    }

    private static void checkDefinition(Definition definition, Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("sweep.json");
            if (Files.exists(file)) {
                Map<?, ?> saved = JSON.readValue(file.toFile(), Map.class);
                Map<?, ?> asked = JSON.readValue(JSON.writeValueAsString(definition), Map.class);
                if (!saved.equals(asked)) {
                    throw new IllegalArgumentException(dir + " holds a different sweep (see " + file + "): re-run "
                            + "it with the same settings to resume it, or choose a new --dir");
                }
            } else {
                AtomicFile.write(file, tmp -> JSON.writeValue(tmp.toFile(), definition));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use sweep folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Candidates train without scoring the test split (at 64 px that pass over 5,000 images cost each ResNet50
     * candidate ~28 s); the winner is scored here, once, as its own run would have been.
     */
    private static EvaluationReport scoreOnTest(CandidateRecord best, PrintWriter out) {
        Path run = Path.of(best.runDir());
        if (Files.exists(run.resolve("evaluation.json"))) {
            // scored by an earlier start of this sweep, or a candidate from before candidates skipped it
            return RunDirectory.open(run).readJson("evaluation.json", EvaluationReport.class);
        }
        long start = System.nanoTime();
        EvaluationReport test = RunEvaluation.finalScore(run);
        out.printf(Locale.ROOT, "best candidate c%03d on the %s split (the only candidate scored on it): accuracy "
                + "%.4f, %.1f s%n", best.index(), test.split(), test.accuracy(), (System.nanoTime() - start) / 1e9);
        return test;
    }

    /** The best candidate's run folder, without its checkpoints, as {@code DIR/best}. */
    private static void exportBest(Path from, Path to) {
        try {
            FolderTree.delete(to);
            FolderTree.copy(from, to, "checkpoint");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the best run to " + to, e);
        }
    }
}

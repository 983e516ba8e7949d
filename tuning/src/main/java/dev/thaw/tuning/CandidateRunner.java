package dev.thaw.tuning;

import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunResult;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.EpochMetrics;
import dev.thaw.engine.train.StopSignal;
import dev.thaw.engine.train.TrainingStoppedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Trains one candidate to a budget as a normal Thaw run under {@code SWEEP/candidates/cNNN}, and records the
 * outcome. What the results log already holds is returned as is; a run folder left by a killed sweep is resumed
 * from its checkpoint; a promoted candidate (successive halving) is trained on from where it stopped. Failures are
 * recorded with their reason, never thrown: one bad candidate does not end the sweep.
 */
final class CandidateRunner {

    private final Path candidates;
    private final ResultsLog<CandidateRecord> log;
    private final PrintWriter out;
    private int skipped;

    CandidateRunner(Path sweepDir, ResultsLog<CandidateRecord> log, PrintWriter out) {
        this.candidates = sweepDir.resolve("candidates");
        this.log = log;
        this.out = out;
    }

    /** Candidates served from the results log instead of being trained (after a restart). */
    int skipped() {
        return skipped;
    }

    private Optional<CandidateRecord> finished(int index, int rung) {
        return log.find(r -> r.index() == index && r.rung() == rung && !r.interrupted());
    }

    /** Whether the results log holds this candidate at this rung (it will not train again). */
    boolean recorded(int index, int rung) {
        return finished(index, rung).isPresent();
    }

    CandidateRecord run(int index, int rung, TrainConfig config) {
        var done = finished(index, rung);
        if (done.isPresent()) {
            skipped++;
            return done.get();
        }
        StopSignal.requested().ifPresent(signal -> {
            throw new TrainingStoppedException(signal, 0, "sweep stopped by " + signal);
        });
        String name = String.format("c%03d", index);
        Path runDir = candidates.resolve(name);
        long start = System.nanoTime();
        CandidateRecord record;
        try (PrintWriter runLog = new PrintWriter(Files.newBufferedWriter(logFile(runDir, rung)), true)) {
            RunResult r;
            if (Files.isRegularFile(runDir.resolve("config.json"))) {
                r = rung == 0 ? FineTune.resume(runDir, runLog) : FineTune.extend(runDir, config.epochs(), runLog);
            } else {
                FolderTree.delete(runDir); // killed before it wrote its config: start afresh
                r = FineTune.run(config.toBuilder().name(name).skipTest(true).build(), candidates, runLog);
            }
            List<Double> scores = r.history().stream().map(EpochMetrics::valAccuracy).toList();
            record = CandidateRecord.of(index, rung, config, "", scores, seconds(start), r.featuresComputed(),
                    r.featuresReused(), runDir.toString());
        } catch (TrainingStoppedException e) {
            // not a result: recorded as interrupted, and trained on from its checkpoint when the sweep resumes
            log.append(CandidateRecord.interrupted(index, rung, config, e.signal(), seconds(start),
                    runDir.toString()));
            out.printf("  c%03d rung %d  interrupted (%s)%n", index, rung, e.signal());
            out.flush();
            throw new TrainingStoppedException(e.signal(), e.completedEpochs(), String.format("sweep stopped by %s "
                    + "during c%03d: re-run the same sweep command to resume it (c%03d continues from its "
                    + "checkpoint)", e.signal(), index, index));
        } catch (RuntimeException | OutOfMemoryError e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            record = CandidateRecord.of(index, rung, config, reason, List.of(), seconds(start), 0, 0,
                    runDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log of candidate " + name, e);
        }
        log.append(record);
        out.printf("  c%03d rung %d  %-22s lr %.2e  head %s  %s  val acc %s  %.1f s  features: %d computed, %d "
                        + "reused%n", index, rung, record.strategy(), record.lr(), record.head(),
                record.ok() ? "ok    " : "FAILED",
                record.ok() ? String.format("%.4f", record.score()) : "-", record.seconds(), record.featuresComputed(),
                record.featuresReused());
        if (!record.ok()) {
            out.println("    " + record.reason());
        }
        out.flush();
        return record;
    }

    /** The freeze point a strategy spec freezes at (for tables and charts). */
    static String freezeOf(String strategy) {
        if (strategy.equals("head") || strategy.equals("full")) {
            return strategy;
        }
        if (strategy.startsWith("freeze:")) {
            return strategy.substring(7);
        }
        if (strategy.startsWith("two-phase:")) {
            String[] p = strategy.split(":");
            return p.length > 2 ? p[2].replace("none", "full") : "full";
        }
        return "full";
    }

    private static Path logFile(Path runDir, int rung) throws IOException {
        Path logs = runDir.resolveSibling(runDir.getFileName() + "-logs");
        Files.createDirectories(logs);
        return logs.resolve("rung" + rung + ".log");
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}

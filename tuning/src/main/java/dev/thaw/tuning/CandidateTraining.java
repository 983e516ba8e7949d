package dev.thaw.tuning;

import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunResult;
import dev.thaw.engine.train.EpochMetrics;
import dev.thaw.engine.train.TrainingStoppedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training of one candidate as a normal Thaw run in its folder, wherever it happens (this process or a Spark
 * executor): a run folder left by a killed sweep or a lost executor is resumed from its checkpoint, a promoted
 * candidate (successive halving) is trained on from where it stopped, and a failure becomes a record with its
 * reason. The run's output goes to {@code cNNN-logs/rungR.log} beside the run.
 */
public final class CandidateTraining {

    private CandidateTraining() {
    }

    /** Trains {@code task} and returns its record; throws only when stopped (Ctrl-C, SIGTERM). */
    public static CandidateRecord train(CandidateTask task) {
        Path runDir = Path.of(task.runDir());
        long start = System.nanoTime();
        try (PrintWriter runLog = new PrintWriter(Files.newBufferedWriter(logFile(runDir, task.rung())), true)) {
            RunResult r;
            if (Files.isRegularFile(runDir.resolve("config.json"))) {
                r = task.rung() == 0 ? FineTune.resume(runDir, runLog)
                        : FineTune.extend(runDir, task.config().epochs(), runLog);
            } else {
                FolderTree.delete(runDir); // killed before it wrote its config: start afresh
                r = FineTune.run(task.config().toBuilder().name(task.name()).skipTest(true).build(),
                        runDir.getParent(), runLog);
            }
            List<Double> scores = r.history().stream().map(EpochMetrics::valAccuracy).toList();
            return CandidateRecord.of(task.index(), task.rung(), task.config(), "", scores, seconds(start),
                    r.featuresComputed(), r.featuresReused(), task.runDir());
        } catch (TrainingStoppedException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            return CandidateRecord.failed(task, e.getClass().getSimpleName() + ": " + e.getMessage(), seconds(start));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log of candidate " + task.name(), e);
        }
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

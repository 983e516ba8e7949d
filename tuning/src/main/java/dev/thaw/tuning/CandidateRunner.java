package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.StopSignal;
import dev.thaw.engine.train.TrainingStoppedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a sweep's candidates through a {@link CandidateWorker} and keeps the results log: what the log already holds
 * is returned as is, every other outcome is appended the moment it is known, by this process only (a worker elsewhere
 * returns records, it never writes the log). Failures are records with their reason, never thrown: one bad candidate
 * does not end the sweep. A worker with several slots trains that many candidates at once.
 */
final class CandidateRunner {

    private final Path candidates;
    private final ResultsLog<CandidateRecord> log;
    private final PrintWriter out;
    private final CandidateWorker worker;
    private final AtomicInteger skipped = new AtomicInteger();

    CandidateRunner(Path sweepDir, ResultsLog<CandidateRecord> log, PrintWriter out, CandidateWorker worker) {
        this.candidates = sweepDir.resolve("candidates");
        this.log = log;
        this.out = out;
        this.worker = worker;
    }

    /** Candidates served from the results log instead of being trained (after a restart). */
    int skipped() {
        return skipped.get();
    }

    /** Candidates trained at once. */
    int slots() {
        return worker.slots();
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
            skipped.incrementAndGet();
            return done.get();
        }
        StopSignal.requested().ifPresent(signal -> {
            throw new TrainingStoppedException(signal, 0, "sweep stopped by " + signal);
        });
        CandidateTask task = new CandidateTask(index, rung, config,
                candidates.resolve(String.format("c%03d", index)).toString());
        long start = System.nanoTime();
        CandidateRecord record;
        try {
            record = worker.train(task);
        } catch (TrainingStoppedException e) {
            // not a result: recorded as interrupted, and trained on from its checkpoint when the sweep resumes
            log.append(CandidateRecord.interrupted(index, rung, config, e.signal(), (System.nanoTime() - start) / 1e9,
                    task.runDir()));
            out.printf("  c%03d rung %d  interrupted (%s)%n", index, rung, e.signal());
            out.flush();
            throw new TrainingStoppedException(e.signal(), e.completedEpochs(), String.format("sweep stopped by %s "
                    + "during c%03d: re-run the same sweep command to resume it (c%03d continues from its "
                    + "checkpoint)", e.signal(), index, index));
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

    /** {@link Slots#inOrder} with this worker's slots: the records in item order. */
    <T> List<CandidateRecord> inOrder(List<T> items, Function<T, Optional<CandidateRecord>> job) {
        return Slots.inOrder(slots(), items, job);
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
}

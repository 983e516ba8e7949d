package dev.thaw.spark;

import dev.thaw.engine.train.StopSignal;
import dev.thaw.engine.train.TrainingStoppedException;
import dev.thaw.tuning.CandidateRecord;
import dev.thaw.tuning.CandidateTask;
import dev.thaw.tuning.CandidateWorker;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Candidates trained as Spark tasks, one task (one job) per candidate, as many at once as the cluster has slots.
 * The sweep's driver keeps everything else: Arbiter's generator and termination, successive halving, and the
 * results log, which only it appends to. A task lost with its executor is run again by Spark (up to
 * {@code spark.task.maxFailures}); the candidate's run folder on shared storage then resumes from its last
 * checkpoint, and the driver records the candidate once, when its job returns.
 */
final class SparkCandidateWorker implements CandidateWorker {

    private final SparkConnection spark;
    private final String cacheDir;

    SparkCandidateWorker(SparkConnection spark, String cacheDir) {
        this.spark = spark;
        this.cacheDir = cacheDir;
    }

    @Override
    public int slots() {
        return spark.slots();
    }

    @Override
    public String where() {
        return "as Spark tasks on " + spark.master() + ", " + slots() + " at a time";
    }

    @Override
    public CandidateRecord train(CandidateTask task) {
        JavaSparkContext sc = spark.context();
        String group = task.name() + "-rung" + task.rung();
        // a job group per candidate (a thread-local setting: each slot runs in its own driver thread), so that a
        // stop cancels exactly its job, interrupting the task on the executor
        sc.setJobGroup(group, "thaw candidate " + task.name() + " rung " + task.rung(), true);
        long start = System.nanoTime();
        JavaFutureAction<List<String>> job = sc.parallelize(List.of(Wire.write(ShippedTask.of(task, cacheDir))), 1)
                .map(new TrainOnExecutor()).collectAsync();
        while (true) {
            try {
                return Wire.read(job.get(1, TimeUnit.SECONDS).get(0), CandidateRecord.class,
                        "record from an executor");
            } catch (TimeoutException e) {
                var signal = StopSignal.requested();
                if (signal.isPresent()) {
                    sc.cancelJobGroup(group);
                    throw new TrainingStoppedException(signal.get(), 0, "sweep stopped by " + signal.get());
                }
            } catch (ExecutionException e) {
                return CandidateRecord.failed(task, "Spark: " + firstLine(e.getCause()), seconds(start));
            } catch (InterruptedException e) {
                sc.cancelJobGroup(group);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + task.name() + " trained on Spark", e);
            }
        }
    }

    @Override
    public void close() {
        spark.close();
    }

    /** Spark's job failure message, up to the executor's stack trace it appends. */
    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}

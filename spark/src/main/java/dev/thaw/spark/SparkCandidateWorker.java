package dev.thaw.spark;

import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.LrRangeTest;
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
import org.apache.spark.api.java.function.Function;

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
        long start = System.nanoTime();
        try {
            String record = run(task.name() + "-rung" + task.rung(), "thaw candidate " + task.name() + " rung "
                    + task.rung(), Wire.write(ShippedTask.of(task, cacheDir)), new TrainOnExecutor());
            return Wire.read(record, CandidateRecord.class, "record from an executor");
        } catch (ExecutionException e) {
            return CandidateRecord.failed(task, "Spark: " + firstLine(e.getCause()), seconds(start));
        }
    }

    /**
     * One range test as one Spark task (the sweep runs them {@link #slots()} at a time); a test that fails on every
     * retry fails the sweep, as it does locally.
     */
    @Override
    public LrRangeTest.Curve rangeTest(TrainConfig config, double start, double end, int steps) {
        try {
            String curve = run("range-test-" + config.strategy(), "thaw range test " + config.strategy(),
                    Wire.write(ShippedRangeTest.of(config, start, end, steps, cacheDir)), new RangeTestOnExecutor());
            return Wire.read(curve, LrRangeTest.Curve.class, "range test from an executor");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the range test of " + config.strategy() + " failed on Spark: "
                    + firstLine(e.getCause()), e);
        }
    }

    @Override
    public String rangeTestsWhere() {
        return "each a Spark task on " + spark.master() + ", " + slots() + " at a time";
    }

    /**
     * Runs {@code work} on {@code shipped} as a one-task job and returns its answer, cancelling the job on a stop
     * request. The job group (a thread-local setting: each slot runs in its own driver thread) makes a stop cancel
     * exactly this job, interrupting the task on the executor.
     *
     * @throws ExecutionException the task failed on every retry
     */
    private String run(String group, String description, String shipped, Function<String, String> work)
            throws ExecutionException {
        JavaSparkContext sc = spark.context();
        sc.setJobGroup(group, description, true);
        JavaFutureAction<List<String>> job = sc.parallelize(List.of(shipped), 1).map(work).collectAsync();
        while (true) {
            try {
                return job.get(1, TimeUnit.SECONDS).get(0);
            } catch (TimeoutException e) {
                var signal = StopSignal.requested();
                if (signal.isPresent()) {
                    sc.cancelJobGroup(group);
                    throw new TrainingStoppedException(signal.get(), 0, "sweep stopped by " + signal.get());
                }
            } catch (InterruptedException e) {
                sc.cancelJobGroup(group);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + description + " ran on Spark", e);
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

package dev.thaw.tuning;

import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.LrRangeTest;

/**
 * Where a sweep's candidates train: in this process, one at a time ({@link #inThisProcess()}), or elsewhere, several
 * at a time (Thaw's Spark jar plugs in a worker whose candidates run as Spark tasks). The sweep itself (Arbiter's
 * generator, termination, successive halving, the results log) always stays in the process that runs it.
 */
public interface CandidateWorker extends AutoCloseable {

    /** Candidates it trains at once. */
    int slots();

    /** Where candidates train, for the sweep's first line. */
    String where();

    /**
     * Trains the candidate (or resumes it from its run folder, or trains a promoted one on) and returns its record.
     * A failure is a record with its reason, not an exception; a stop request is a
     * {@link dev.thaw.engine.train.TrainingStoppedException}.
     */
    CandidateRecord train(CandidateTask task);

    /**
     * The learning-rate range test of a configuration ({@code sweep --search find}): where candidates train, so
     * that a cluster's executors, not the driver, run the tests' steps too. Here by default.
     */
    default LrRangeTest.Curve rangeTest(TrainConfig config, double start, double end, int steps) {
        return FineTune.rangeTest(config, start, end, steps);
    }

    /** Where {@link #rangeTest} runs them ({@link #slots()} at a time), for the sweep's output; empty: here. */
    default String rangeTestsWhere() {
        return "";
    }

    @Override
    default void close() {
    }

    /** Candidates trained here, one after the other. */
    static CandidateWorker inThisProcess() {
        return new CandidateWorker() {
            @Override
            public int slots() {
                return 1;
            }

            @Override
            public String where() {
                return "in this process";
            }

            @Override
            public CandidateRecord train(CandidateTask task) {
                return CandidateTraining.train(task);
            }
        };
    }
}

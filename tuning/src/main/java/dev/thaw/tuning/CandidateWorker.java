package dev.thaw.tuning;

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

package dev.thaw.engine.train;

/** Hooks into training for progress and metrics; every method has an empty default. */
public interface TrainingListener {

    /** A phase starts: its graph is built and (if {@code featurized}) its features are ready. */
    default void onPhaseStart(Phase phase, boolean featurized) {
    }

    /** A phase ended before its last epoch, or with something to say about it ({@code summary}: one line). */
    default void onPhaseEnd(Phase phase, String summary) {
    }

    /** One minibatch was trained. {@code batch} counts from 0 within the epoch. */
    default void onBatch(int epoch, int batch, int batches, double loss, int examples) {
    }

    /** An epoch finished, validation included. */
    default void onEpochEnd(EpochMetrics metrics) {
    }
}

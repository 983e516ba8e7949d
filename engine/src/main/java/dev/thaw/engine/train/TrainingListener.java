package dev.thaw.engine.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** Hooks into training for progress and metrics; every method has an empty default. */
public interface TrainingListener {

    /** A phase starts: its graph is built and (if {@code featurized}) its features are ready. */
    default void onPhaseStart(Phase phase, boolean featurized) {
    }

    /** A phase ended before its last epoch, or with something to say about it ({@code summary}: one line). */
    default void onPhaseEnd(Phase phase, String summary) {
    }

    /**
     * The graph that trains from now on (at each phase start and at a resume): the whole graph, or with cached
     * features the part after the freeze point. Its first step is step {@code firstIteration} of the run (counting
     * from 0), while the graph itself counts from its phase's start. For listeners that attach to DL4J's graph.
     */
    default void onGraph(ComputationGraph graph, long firstIteration) {
    }

    /** One minibatch was trained. {@code batch} counts from 0 within the epoch. */
    default void onBatch(int epoch, int batch, int batches, double loss, int examples) {
    }

    /** An epoch finished, validation included. */
    default void onEpochEnd(EpochMetrics metrics) {
    }
}

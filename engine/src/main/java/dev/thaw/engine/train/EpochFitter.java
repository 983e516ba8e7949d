package dev.thaw.engine.train;

import java.util.Iterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How a graph learns from one epoch's minibatches: here, one step per minibatch ({@link #ONE_BY_ONE}, what every
 * local run does), or data-parallel on a cluster (Thaw's Spark jar: {@code train --spark}). The {@link Trainer}
 * around it stays the same: phases, cached features, validation, checkpoints, metrics and the run folder.
 */
public interface EpochFitter {

    /** What a fitter reports after each step it can see (a cluster sees one per epoch: the averaged loss). */
    interface Steps {
        void stepped(double loss, int images);
    }

    /** Updates {@code graph}'s parameters in place from {@code batches}, reporting to {@code steps}. */
    void fit(ComputationGraph graph, Iterator<DataSet> batches, Steps steps);

    /**
     * Whether the steps run on {@code graph} in this process, where its DL4J listeners (the run's training
     * statistics, what {@code --ui} shows) see them; a cluster's run on copies elsewhere.
     */
    default boolean stepsRunHere() {
        return true;
    }

    /** Plain DL4J: one {@code fit} per minibatch, in order. */
    EpochFitter ONE_BY_ONE = (graph, batches, steps) -> {
        while (batches.hasNext()) {
            DataSet b = batches.next();
            graph.fit(b);
            steps.stepped(graph.score(), b.numExamples());
        }
    };
}

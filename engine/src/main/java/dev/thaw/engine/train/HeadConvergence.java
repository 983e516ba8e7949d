package dev.thaw.engine.train;

import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decides when a head training alone has converged — its validation accuracy has not risen for {@value #PATIENCE}
 * epochs — and keeps the best epoch's head, so that the phase after it starts from that head rather than from a
 * last, over-trained one. On cached features a head epoch costs milliseconds, so training it to convergence before
 * any pretrained layer unfreezes is almost free (fastai's {@code fine_tune}, with the head phase run to the end).
 *
 * <p>Why accuracy and this patience: on ResNet50 with 20 and 100 labels per class (benchmarks/results/parity.md) this
 * rule stopped after 16–51 head epochs and scored 0.833 and 0.896 after 8 epochs of everything; stopping on
 * validation loss instead trained the head longer (all 100 epochs at 20 labels per class) and scored 0.819 and
 * 0.899; one head epoch (the old default) 0.818 and 0.889. The loss of the kept epoch is recorded for the log.
 */
final class HeadConvergence {

    /** Epochs without a better validation accuracy after which the head has converged. */
    static final int PATIENCE = 10;

    private double bestAccuracy = Double.NEGATIVE_INFINITY;
    private double bestLoss = Double.NaN;
    private int bestEpoch = -1;
    private INDArray bestParams;
    private int sinceBest;

    /** Records an epoch of {@code head} (the graph that trains: only the head's parameters). */
    void epochEnded(int epoch, double valAccuracy, double valLoss, ComputationGraph head) {
        if (valAccuracy > bestAccuracy) {
            bestAccuracy = valAccuracy;
            bestLoss = valLoss;
            bestEpoch = epoch;
            bestParams = head.params().dup();
            sinceBest = 0;
        } else {
            sinceBest++;
        }
    }

    boolean converged() {
        return sinceBest >= PATIENCE;
    }

    /** Puts the best epoch's parameters back into {@code head}; returns what was kept, for the log. */
    String keepBest(ComputationGraph head) {
        if (bestParams == null) {
            return "no validation accuracy to pick a head by: the last epoch's head goes on";
        }
        head.setParams(bestParams);
        return String.format(Locale.ROOT, "the head of epoch %d goes on (validation accuracy %.4f, loss %.4f)",
                bestEpoch + 1, bestAccuracy, bestLoss);
    }
}

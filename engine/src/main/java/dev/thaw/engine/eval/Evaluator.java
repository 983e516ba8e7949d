package dev.thaw.engine.eval;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Runs a model over a split and reports its scores. */
public final class Evaluator {

    private Evaluator() {
    }

    /** @param topK the k of top-k accuracy (clamped to the class count) */
    public static EvaluationReport evaluate(ComputationGraph model, DataSetIterator data, List<String> labels,
                                            String split, int topK) {
        int k = Math.min(topK, labels.size());
        Evaluation e = new Evaluation(labels, k);
        data.reset();
        model.doEvaluation(data, e);
        return EvaluationReport.of(split, e, labels, k);
    }
}

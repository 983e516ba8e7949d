package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The output layer of a transferred model: never taken from the weight source, even when the class counts match,
 * because it classifies the source's classes, not the target's (a 5-class head trained on Fashion-MNIST 0-4 and kept
 * for 5-9 starts with confident wrong answers: validation accuracy below chance after the first epoch, loss 2.5
 * against ln 5 = 1.61). It starts at zero, so that a new
 * head's first predictions are uniform (loss ln C) whatever the scale of the pretrained features. A randomly
 * initialised output layer on 2,048 large pretrained features starts with confident wrong logits (ResNet50: loss
 * 2.37 for 5 classes, ln 5 = 1.61) and spends its first epochs unlearning them; with Adam, whose steps do not depend
 * on the gradient's size, a zero start learns at once (softmax regression has no symmetry to break: every class
 * gets its own gradient). Measured in benchmarks/results/parity.md.
 */
final class NewHead {

    private NewHead() {
    }

    /** Zeroes the backbone's output layer in {@code graph} if it is among the {@code reinitialized} vertices. */
    static void zeroIfNew(ComputationGraph graph, Backbone backbone, List<String> reinitialized) {
        if (reinitialized.contains(backbone.outputVertex())) {
            graph.getLayer(backbone.outputVertex()).params().assign(0);
        }
    }
}

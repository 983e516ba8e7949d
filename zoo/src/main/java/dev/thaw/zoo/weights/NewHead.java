package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The output layer of a transferred model. The weight sources never fill it, even when the class counts match,
 * because it classifies the source's classes, not the target's: a 5-class head trained on Fashion-MNIST 0-4 and kept
 * for 5-9 started with confident wrong answers (validation accuracy below chance for four epochs, loss 2.5 against
 * ln 5 = 1.61). It starts at zero instead, so that its first predictions are uniform (loss ln C) whatever the scale
 * of the pretrained features; softmax regression has no symmetry to break (every class gets its own gradient), and
 * Adam's steps do not depend on the gradient's size, so a zero start learns at once. Measured in
 * benchmarks/results/parity.md.
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

package dev.thaw.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

/** Asserts what a transfer keeps: every layer's weights but the output layer's, which start at zero. */
final class SameWeights {

    private SameWeights() {
    }

    static void exceptFreshOutput(ComputationGraph source, ComputationGraph loaded, String output) {
        for (GraphVertex v : loaded.getVertices()) {
            if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                continue;
            }
            if (v.getVertexName().equals(output)) {
                assertEquals(0, v.getLayer().params().amaxNumber().doubleValue(), "the new head starts at zero");
            } else {
                assertEquals(source.getLayer(v.getVertexName()).params(), v.getLayer().params(), v.getVertexName());
            }
        }
    }
}

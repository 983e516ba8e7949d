package dev.thaw.zoo.weights;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A backbone graph filled from a weight source.
 *
 * @param graph         built for the requested input shape and class count
 * @param source        what the weights came from, as the user would write it ({@code imagenet}, {@code file:…})
 * @param fingerprint   identifies the exact weights (checksum or seed), for provenance and cache keys
 * @param reinitialized vertices that kept fresh random weights because the source's did not fit (e.g. a new
 *                      head for another class count); empty when every parameter came from the source
 */
public record LoadedModel(ComputationGraph graph, String source, String fingerprint, List<String> reinitialized) {
    public LoadedModel {
        reinitialized = List.copyOf(reinitialized);
    }
}

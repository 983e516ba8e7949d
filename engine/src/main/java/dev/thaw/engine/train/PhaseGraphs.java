package dev.thaw.engine.train;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.ConvCache;
import dev.thaw.zoo.FreezePoint;
import dev.thaw.zoo.GraphParts;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;

/**
 * Builds the graph a {@link Phase} trains, with DL4J's {@link TransferLearning.GraphBuilder}: the phase's updater
 * through a {@link FineTuneConfiguration}, its freeze point through {@code setFeatureExtractor}, and, for
 * discriminative rates, a per-block updater on each layer.
 *
 * <p>Always built from the unfrozen master graph with the latest weights copied in, because DL4J cannot unfreeze a
 * layer once it is wrapped as frozen; so going from "head only" to "everything" is a new build, not an edit.
 */
final class PhaseGraphs {

    private PhaseGraphs() {
    }

    static ComputationGraph build(ComputationGraph master, Backbone backbone, Phase phase, Optimizer optimizer,
                                  int totalEpochs, long totalIterations, long seed) {
        FineTuneConfiguration ftc = new FineTuneConfiguration.Builder()
                .updater(optimizer.build(phase.lrScale(), totalEpochs, totalIterations))
                .weightDecay(optimizer.weightDecay())
                .seed(seed)
                .build();
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(master).fineTuneConfiguration(ftc);
        if (!phase.frozen().isNone()) {
            builder.setFeatureExtractor(phase.frozen().vertex());
        }
        ComputationGraph graph = builder.build();
        if (phase.decayPerBlock() != 1) {
            applyBlockRates(graph, backbone, phase, optimizer, totalEpochs, totalIterations);
        }
        return ConvCache.apply(graph);
    }

    /**
     * Layers in block {@code d} (counting freeze points from the input) get the phase rate times
     * {@code decay^(maxDepth - d + 1)}; the head keeps the phase rate. Must run before the graph's first fit, when
     * DL4J creates its updater from the layer configurations.
     */
    private static void applyBlockRates(ComputationGraph graph, Backbone backbone, Phase phase, Optimizer optimizer,
                                        int totalEpochs, long totalIterations) {
        GraphParts parts = new GraphParts(graph);
        List<FreezePoint> points = backbone.freezePoints().list();
        Set<String> below = Set.of();
        for (FreezePoint p : points) {
            Set<String> upTo = parts.frozenBy(p);
            double scale = phase.lrScale() * Math.pow(phase.decayPerBlock(), points.size() - p.depth() + 1);
            for (String vertex : upTo) {
                if (!below.contains(vertex)) {
                    setUpdater(graph, vertex, optimizer, scale, totalEpochs, totalIterations);
                }
            }
            below = upTo;
        }
    }

    private static void setUpdater(ComputationGraph graph, String vertex, Optimizer optimizer, double scale,
                                   int totalEpochs, long totalIterations) {
        GraphVertex v = graph.getVertex(vertex);
        if (v == null || !v.hasLayer()) {
            return;
        }
        org.deeplearning4j.nn.conf.layers.Layer conf = v.getLayer().conf().getLayer();
        if (conf instanceof FrozenLayer) {
            return;
        }
        if (conf instanceof BaseLayer base) {
            base.setIUpdater(optimizer.build(scale, totalEpochs, totalIterations));
        }
    }
}

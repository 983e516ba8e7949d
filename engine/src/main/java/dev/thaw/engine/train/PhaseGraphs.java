package dev.thaw.engine.train;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.ConvCache;
import dev.thaw.zoo.FreezePoint;
import dev.thaw.zoo.FrozenBatchNorm;
import dev.thaw.zoo.GraphParts;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Builds the graph a {@link Phase} trains, with DL4J's {@link TransferLearning.GraphBuilder}: the phase's updater
 * through a {@link FineTuneConfiguration}, its freeze point through {@code setFeatureExtractor}, and per-layer
 * updaters where rates differ: each block for discriminative rates, the head for its {@link Phase#headLrFactor};
 * with {@link BatchNormMode#FROZEN}, its trainable BatchNorm layers as {@link FrozenBatchNorm}.
 *
 * <p>Always built from the unfrozen master graph with the latest weights copied in, because DL4J cannot unfreeze a
 * layer once it is wrapped as frozen; so going from "head only" to "everything" is a new build, not an edit. Each
 * build has fresh updater state, and its step count starts at 0 (see {@link LearningRate.Shifted}).
 */
final class PhaseGraphs {

    /**
     * What learning-rate schedules span: the run's epochs after {@code scheduleStart} (a converging head phase
     * comes first and trains at the constant base rate, as its length is not known in advance), and where a phase
     * starts in that span.
     */
    record Clock(int totalEpochs, int batchesPerEpoch, int scheduleStart) {

        /** A clock over the whole of the given phases. */
        static Clock of(List<Phase> phases, int batchesPerEpoch) {
            int converging = phases.stream().filter(Phase::untilConverged).mapToInt(Phase::endEpoch).max().orElse(0);
            return new Clock(Phase.endOf(phases) - converging, batchesPerEpoch, converging);
        }

        long totalIterations() {
            return (long) totalEpochs * batchesPerEpoch;
        }

        int startEpoch(Phase phase) {
            return Math.max(0, phase.firstEpoch() - scheduleStart);
        }

        long startIteration(Phase phase) {
            return (long) startEpoch(phase) * batchesPerEpoch;
        }
    }

    private PhaseGraphs() {
    }

    static ComputationGraph build(ComputationGraph master, Backbone backbone, Phase phase, Optimizer optimizer,
                                  BatchNormMode batchNorm, Clock clock, long seed) {
        FineTuneConfiguration ftc = new FineTuneConfiguration.Builder()
                .updater(updater(optimizer, phase, clock, phase.lrScale()))
                .weightDecay(optimizer.weightDecay())
                .seed(seed)
                .build();
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(master).fineTuneConfiguration(ftc);
        if (!phase.frozen().isNone()) {
            builder.setFeatureExtractor(phase.frozen().vertex());
        }
        ComputationGraph graph = builder.build();
        if (batchNorm == BatchNormMode.FROZEN) {
            graph = FrozenBatchNorm.freezeAll(graph);
        }
        if (phase.decayPerBlock() != 1) {
            applyBlockRates(graph, backbone, phase, optimizer, clock);
        }
        if (phase.headLrFactor() != 1) {
            applyHeadRate(graph, backbone, phase, optimizer, clock);
        }
        return ConvCache.apply(graph);
    }

    private static IUpdater updater(Optimizer optimizer, Phase phase, Clock clock, double scale) {
        return phase.untilConverged() ? optimizer.constant(scale) : optimizer.build(scale, clock.totalEpochs(),
                clock.totalIterations(), clock.startIteration(phase), clock.startEpoch(phase));
    }

    /**
     * Layers in block {@code d} (counting freeze points from the input) get the phase rate times
     * {@code decay^(maxDepth - d + 1)}; the head keeps the phase rate. Must run before the graph's first fit, when
     * DL4J creates its updater from the layer configurations.
     */
    private static void applyBlockRates(ComputationGraph graph, Backbone backbone, Phase phase, Optimizer optimizer,
                                        Clock clock) {
        GraphParts parts = new GraphParts(graph);
        List<FreezePoint> points = backbone.freezePoints().list();
        Set<String> below = Set.of();
        for (FreezePoint p : points) {
            Set<String> upTo = parts.frozenBy(p);
            double scale = phase.lrScale() * Math.pow(phase.decayPerBlock(), points.size() - p.depth() + 1);
            for (String vertex : upTo) {
                if (!below.contains(vertex)) {
                    setUpdater(graph, vertex, updater(optimizer, phase, clock, scale));
                }
            }
            below = upTo;
        }
    }

    /** Layers after the deepest freeze point (the head) get the phase rate times the phase's head factor. */
    private static void applyHeadRate(ComputationGraph graph, Backbone backbone, Phase phase, Optimizer optimizer,
                                      Clock clock) {
        GraphParts parts = new GraphParts(graph);
        Set<String> body = parts.frozenBy(backbone.freezePoints().deepest());
        for (String vertex : parts.parameterizedVertices()) {
            if (!body.contains(vertex)) {
                setUpdater(graph, vertex, updater(optimizer, phase, clock, phase.lrScale() * phase.headLrFactor()));
            }
        }
    }

    private static void setUpdater(ComputationGraph graph, String vertex, IUpdater updater) {
        GraphVertex v = graph.getVertex(vertex);
        if (v == null || !v.hasLayer()) {
            return;
        }
        org.deeplearning4j.nn.conf.layers.Layer conf = v.getLayer().conf().getLayer();
        if (conf instanceof FrozenLayer) {
            return;
        }
        if (conf instanceof BaseLayer base) {
            base.setIUpdater(updater);
        }
    }
}

package dev.thaw.benchmarks;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.ConvCache;
import dev.thaw.zoo.FreezePoint;
import dev.thaw.zoo.InputShape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * What the step benchmarks train on: a backbone's graph (10 classes, seed 1) frozen up to a point the way Thaw
 * freezes it, with Adam and Thaw's {@link ConvCache} mode, and minibatches of random RGB images. Random pixels cost
 * the same arithmetic as real ones, and ImageNet weights cannot be downloaded here.
 */
final class SyntheticWorkload {

    static final int CLASSES = 10;

    private SyntheticWorkload() {
    }

    /** The backbone at {@code size} px, frozen up to {@code frozen} (nothing when it is {@code none}). */
    static ComputationGraph graph(Backbone backbone, int size, FreezePoint frozen, double lr) {
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(
                backbone.build(InputShape.rgb(size), CLASSES, 1))
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(lr)).seed(1).build());
        if (!frozen.isNone()) {
            b.setFeatureExtractor(frozen.vertex());
        }
        return ConvCache.apply(b.build());
    }

    /**
     * {@code batch} random images, normalized as the backbone expects, labelled {@code firstLabel}, +1, … modulo
     * the class count. Draws from ND4J's global random generator: seed it first for a fixed batch.
     */
    static DataSet batch(Backbone backbone, int size, int batch, int firstLabel) {
        INDArray x = backbone.normalization().apply(Nd4j.rand(new int[] {batch, 3, size, size}).muli(255));
        INDArray y = Nd4j.zeros(batch, CLASSES);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, (firstLabel + i) % CLASSES, 1.0);
        }
        return new DataSet(x, y);
    }
}

package dev.thaw.zoo;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Eight random 32 px RGB images, normalized as the backbone expects, labelled 0, 1, … modulo the classes. */
final class RandomBatch {

    private RandomBatch() {
    }

    static DataSet of(Backbone backbone, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = backbone.normalization().apply(Nd4j.rand(new int[] {8, 3, 32, 32}).muli(255));
        INDArray y = Nd4j.zeros(8, classes);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return new DataSet(x, y);
    }
}

package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

class ConvCacheTest {

    private static final Backbone SMALL = Backbones.get("smallcnn");

    private static ComputationGraph graph(CacheMode mode) {
        ComputationGraph g = new TransferLearning.GraphBuilder(SMALL.build(InputShape.rgb(32), 4, 1))
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.01)).build())
                .build();
        assertEquals(CacheMode.NONE, g.getConfiguration().getCacheMode(), "TransferLearning resets the mode");
        return ConvCache.apply(g, mode);
    }

    private static DataSet batch() {
        return RandomBatch.of(SMALL, 4, 5);
    }

    private static long convForwardsInOneStep(CacheMode mode) {
        ComputationGraph g = graph(mode);
        DataSet ds = batch();
        g.fit(ds); // the first fit creates the updater and workspaces
        return OpTally.during(() -> g.fit(ds)).calls("conv2d");
    }

    @Test
    void theDefaultRunsEachConvolutionForwardOncePerStepNotTwice() {
        long convLayers = graph(CacheMode.NONE).getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof ConvolutionLayer).count();
        assertTrue(convLayers >= 2, "smallcnn has convolutions: " + convLayers);
        assertEquals(2 * convLayers, convForwardsInOneStep(CacheMode.NONE),
                "without the cache, backprop convolves again");
        assertEquals(convLayers, convForwardsInOneStep(ConvCache.DEFAULT));
    }

    @Test
    void cachingChangesNothingThatIsLearned() {
        assertArrayEquals(losses(CacheMode.NONE), losses(ConvCache.DEFAULT), 1e-6);
    }

    private static double[] losses(CacheMode mode) {
        ComputationGraph g = graph(mode);
        DataSet ds = batch();
        double[] losses = new double[6];
        for (int i = 0; i < losses.length; i++) {
            g.fit(ds);
            losses[i] = g.score();
        }
        return losses;
    }
}

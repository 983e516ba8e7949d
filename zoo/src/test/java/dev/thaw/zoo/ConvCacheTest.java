package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.nd4j.linalg.profiler.data.StringAggregator;

class ConvCacheTest {

    private static final Backbone SMALL = Backbones.get("smallcnn");

    /** Counts native ops by name while ND4J's op profiler is on. */
    private static final class OpCounts extends StringAggregator {
        final Map<String, Integer> counts = new HashMap<>();

        @Override
        public void putTime(String key, Op op, long nanos) {
            counts.merge(op.opName(), 1, Integer::sum);
        }

        @Override
        public void putTime(String key, CustomOp op, long nanos) {
            counts.merge(op.opName(), 1, Integer::sum);
        }
    }

    private static ComputationGraph graph(CacheMode mode) {
        ComputationGraph g = new TransferLearning.GraphBuilder(SMALL.build(InputShape.rgb(32), 4, 1))
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.01)).build())
                .build();
        assertEquals(CacheMode.NONE, g.getConfiguration().getCacheMode(), "TransferLearning resets the mode");
        return ConvCache.apply(g, mode);
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(5);
        DataSet ds = new DataSet(SMALL.normalization().apply(Nd4j.rand(new int[] {8, 3, 32, 32}).muli(255)),
                Nd4j.zeros(8, 4));
        for (int i = 0; i < 8; i++) {
            ds.getLabels().putScalar(i, i % 4, 1.0);
        }
        return ds;
    }

    private static int convForwardsInOneStep(CacheMode mode) {
        ComputationGraph g = graph(mode);
        DataSet ds = batch();
        g.fit(ds); // the first fit creates the updater and workspaces
        OpCounts counts = new OpCounts();
        OpProfiler.getInstance().reset();
        OpProfiler.getInstance().setClassAggergator(counts);
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        try {
            g.fit(ds);
        } finally {
            Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
            OpProfiler.getInstance().setClassAggergator(new StringAggregator());
        }
        return counts.counts.getOrDefault("conv2d", 0);
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

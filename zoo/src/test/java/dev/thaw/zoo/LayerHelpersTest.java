package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

class LayerHelpersTest {

    private static final Backbone RESNET = Backbones.get("resnet50");

    @Test
    void graphsThawBuildsRunConvAndBatchNormThroughOneDnn() {
        ComputationGraph g = RESNET.build(InputShape.rgb(32), 3, 1);
        assertInstanceOf(MKLDNNConvHelper.class, g.getLayer("res2a_branch2a").getHelper(),
                "oneDNN natives + shim + property should give every conv layer a helper");
        assertInstanceOf(MKLDNNBatchNormHelper.class, g.getLayer("bn2a_branch2a").getHelper());
    }

    @Test
    void theUsersExplicitSwitchWins() {
        String before = System.getProperty(LayerHelpers.DISABLE_PROPERTY);
        try {
            System.setProperty(LayerHelpers.DISABLE_PROPERTY, "true");
            LayerHelpers.enable();
            ComputationGraph g = RESNET.build(InputShape.rgb(32), 3, 1);
            assertNull(g.getLayer("res2a_branch2a").getHelper());
        } finally {
            System.setProperty(LayerHelpers.DISABLE_PROPERTY, before);
        }
    }

    /** The speed-up must not change what is learned: same init, same fixed batch, same losses step by step. */
    @Test
    void helpersFollowTheSameLossCurveAsDl4jsJavaLayers() {
        double[] java = losses("true");
        double[] oneDnn = losses("false");
        for (int i = 0; i < java.length; i++) {
            assertEquals(java[i], oneDnn[i], 1e-3 * Math.abs(java[i]),
                    "loss at step " + i + ": " + Arrays.toString(java) + " vs " + Arrays.toString(oneDnn));
        }
        assertTrue(oneDnn[oneDnn.length - 1] < oneDnn[0], "the batch is being fitted: " + Arrays.toString(oneDnn));
    }

    /**
     * A random ResNet50 is too chaotic for a loss curve to compare: its early-layer gradients reach 1e4, and moving
     * the 0-255 input by 1e-4 changes them by about 7 % in DL4J's own Java layers. So the test holds the helpers to
     * that standard: their gradient may differ from the Java layers' by no more than the Java layers' own gradient
     * differs under such a perturbation (plus slack), and the loss must agree to 1e-3.
     */
    @Test
    void resNet50GradientsAgreeAsCloselyAsDl4jAgreesWithItself() {
        Gradients java = gradients("true", 0);
        Gradients javaNudged = gradients("true", 1e-4);
        Gradients oneDnn = gradients("false", 0);
        double noise = java.relativeDistance(javaNudged);
        double helpers = java.relativeDistance(oneDnn);
        assertEquals(java.score, oneDnn.score, 1e-3 * java.score);
        assertTrue(helpers < 2 * noise + 1e-3, "helpers vs Java " + helpers + ", Java vs nudged Java " + noise);
    }

    private record Gradients(double score, INDArray flat) {
        double relativeDistance(Gradients other) {
            return flat.distance2(other.flat) / flat.norm2Number().doubleValue();
        }
    }

    private static Gradients gradients(String disableHelpers, double nudge) {
        String before = System.getProperty(LayerHelpers.DISABLE_PROPERTY);
        try {
            System.setProperty(LayerHelpers.DISABLE_PROPERTY, disableHelpers);
            ComputationGraph g = RESNET.build(InputShape.rgb(32), 4, 1);
            DataSet batch = batch(RESNET, 4);
            batch.getFeatures().addi(Nd4j.rand(new int[] {8, 3, 32, 32}).muli(nudge));
            g.setInputs(batch.getFeatures());
            g.setLabels(batch.getLabels());
            g.computeGradientAndScore();
            return new Gradients(g.score(), g.gradient().gradient().dup());
        } finally {
            System.setProperty(LayerHelpers.DISABLE_PROPERTY, before);
        }
    }

    private static DataSet batch(Backbone backbone, int classes) {
        return RandomBatch.of(backbone, classes, 3);
    }

    private static double[] losses(String disableHelpers) {
        String before = System.getProperty(LayerHelpers.DISABLE_PROPERTY);
        try {
            System.setProperty(LayerHelpers.DISABLE_PROPERTY, disableHelpers);
            Backbone small = Backbones.get("smallcnn");
            ComputationGraph g = new TransferLearning.GraphBuilder(small.build(InputShape.rgb(32), 4, 1))
                    .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.01)).build())
                    .build();
            DataSet batch = batch(small, 4);
            double[] losses = new double[6];
            for (int i = 0; i < losses.length; i++) {
                g.fit(batch);
                losses[i] = g.score();
            }
            return losses;
        } finally {
            System.setProperty(LayerHelpers.DISABLE_PROPERTY, before);
        }
    }

    @Test
    void resNet50CarriesNoRegularizationOfItsOwn() {
        ComputationGraph g = RESNET.build(InputShape.rgb(32), 3, 1);
        g.getConfiguration().getVertices().forEach((name, v) -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                assertTrue(layer.getRegularization().isEmpty() && layer.getRegularizationBias().isEmpty(), name);
            }
        });
    }
}

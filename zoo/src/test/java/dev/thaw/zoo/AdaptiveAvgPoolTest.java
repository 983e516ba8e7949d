package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link AdaptiveAvgPool}: PyTorch's bins forward, and a backward pass that matches finite differences (which a
 * SameDiff version of the layer failed: its input gradient came back doubled).
 */
class AdaptiveAvgPoolTest {

    @Test
    void binsAreTorchs() {
        // AdaptiveAvgPool2d(7) over 2 rows: rows 0-2 copy row 0, row 3 averages both, rows 4-6 copy row 1
        INDArray w = AdaptiveAvgPool.weights(7, 2);
        assertArrayEquals(new double[] {1, 0}, w.getRow(0).toDoubleVector(), 0);
        assertArrayEquals(new double[] {0.5, 0.5}, w.getRow(3).toDoubleVector(), 0);
        assertArrayEquals(new double[] {0, 1}, w.getRow(6).toDoubleVector(), 0);
        // over 5 rows into 2: [0, 3) and [2, 5), overlapping at row 2
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0, 0, 0}, AdaptiveAvgPool.weights(2, 5).getRow(0)
                .toDoubleVector(), 1e-7);
        assertArrayEquals(new double[] {0, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0}, AdaptiveAvgPool.weights(2, 5).getRow(1)
                .toDoubleVector(), 1e-7);
    }

    @Test
    void poolsEachChannelInAGraph() {
        ComputationGraph g = graph(DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 4);
        INDArray conv = g.feedForward(x, false).get("conv");
        INDArray pooled = g.feedForward(x, false).get("pool");
        assertArrayEquals(new long[] {2, 3, 2, 3}, pooled.shape());
        // cell (1, 2): rows 2-4, columns 2-3 (bins of 5 -> 2 and 4 -> 3)
        double expected = conv.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.point(2),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4)).meanNumber().doubleValue();
        assertEquals(expected, pooled.getDouble(1, 2, 1, 2), 1e-6);
    }

    @Test
    void survivesTheModelJson() {
        ComputationGraph g = graph(DataType.FLOAT);
        ComputationGraph copy = new ComputationGraph(
                org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson()));
        copy.init(g.params().dup(), false);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 4);
        assertEquals(g.outputSingle(x), copy.outputSingle(x), "what a saved model file holds");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraph g = graph(DataType.DOUBLE);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 5, 4);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 4);
            y.putScalar(0, 1, 1.0);
            y.putScalar(1, 3, 1.0);
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                    .inputs(new INDArray[] {x}).labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-3)
                    .minAbsoluteError(1e-8)), "analytic gradients of every parameter, the convolution's included");
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    private static ComputationGraph graph(DataType type) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .dataType(type).seed(3).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(5, 4, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(3)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("pool", new AdaptiveAvgPool(3, 5, 4, 2, 3), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build());
        g.init();
        return g;
    }
}

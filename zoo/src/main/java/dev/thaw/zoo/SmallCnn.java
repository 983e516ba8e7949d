package dev.thaw.zoo;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small VGG-style CNN built from DL4J layers: three conv-BN-ReLU-pool blocks (32, 64, 128 filters), global
 * average pooling, one 128-unit dense layer and the output. About 0.1 M parameters, so tests and the default demo
 * run in seconds on a CPU; any input from 16 px up (global pooling makes the head size-independent).
 */
final class SmallCnn implements Backbone {

    private static final FreezePoints POINTS = new FreezePoints("smallcnn",
            List.of("block1", "block2", "block3", "fc"),
            List.of("block1_pool", "block2_pool", "block3_pool", "fc"));

    @Override
    public int frozenBatchNormBelow() {
        // Pretrained 4 epochs on the demo's 0-4, 20 labels per class of 5-9: BatchNorm trained scores 0.877
        // (freeze:block2) and 0.851 (full), frozen 0.739 and 0.795: its statistics must adapt to the new classes.
        return 0;
    }

    @Override
    public String name() {
        return "smallcnn";
    }

    @Override
    public String description() {
        return "3 conv blocks + dense, ~0.1 M params; fast on CPU, for tests and the default demo";
    }

    @Override
    public InputShape nativeInput() {
        return InputShape.rgb(32);
    }

    @Override
    public int minInputSize() {
        return 16;
    }

    @Override
    public Normalization normalization() {
        return Normalization.UNIT;
    }

    @Override
    public FreezePoints freezePoints() {
        return POINTS;
    }

    @Override
    public String outputVertex() {
        return "output";
    }

    @Override
    public ComputationGraph build(InputShape input, int numClasses, long seed) {
        requireFits(input);
        OneDnnIsa.chooseFor(input, 0); // not measured: oneDNN's own choice
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()));
        String previous = "input";
        int[] filters = {32, 64, 128};
        for (int b = 0; b < filters.length; b++) {
            String block = "block" + (b + 1);
            g.addLayer(block + "_conv", new ConvolutionLayer.Builder(3, 3).nOut(filters[b])
                            .activation(Activation.IDENTITY).build(), previous)
                    .addLayer(block + "_bn", new BatchNormalization.Builder().build(), block + "_conv")
                    .addLayer(block + "_relu", new ActivationLayer(Activation.RELU), block + "_bn")
                    .addLayer(block + "_pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                            .kernelSize(2, 2).stride(2, 2).build(), block + "_relu");
            previous = block + "_pool";
        }
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer("fc", new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build(), "gap")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .weightInit(WeightInit.XAVIER).nOut(numClasses).activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("output");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }
}

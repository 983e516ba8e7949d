package dev.thaw.zoo;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * torchvision's {@code vgg16} built from DL4J layers, so that a torchvision {@code state_dict} loads into it
 * ({@code --weights torchvision:FILE.pth}); backbone {@code vgg16-tv}.
 *
 * <p>Not DL4J's zoo VGG16 ({@code vgg16}) with other names, because the two differ past the convolutions:
 * torchvision average-pools the last map to 7×7 ({@link AdaptiveAvgPool}) before {@code classifier.0}, so its
 * 25,088-input dense layer (and ImageNet's weights for it) fits every input size, where the zoo's first dense layer
 * changes shape with the input; and torchvision drops out after each hidden dense layer, the zoo before them.
 * Vertex names are torchvision's module names: convolutions {@code features.0}…{@code features.28} (each with its
 * ReLU, whose own indices are skipped), poolings {@code features.4}…{@code features.30}, {@code avgpool},
 * {@code classifier.0}, {@code classifier.3} (with their ReLUs) and the output {@code classifier.6}.
 */
final class TorchvisionVgg16 extends TorchvisionLayout {

    /** Output channels per convolution, 0 for a max pooling: torchvision's configuration "D". */
    private static final int[] FEATURES = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512,
            512, 0};
    private static final int POOLED = 7;

    private static final FreezePoints POINTS = new FreezePoints("vgg16-tv",
            List.of("block1", "block2", "block3", "block4", "block5", "fc1", "fc2"),
            List.of("features.4", "features.9", "features.16", "features.23", "features.30", "classifier.0",
                    "classifier.3"));

    @Override
    public String name() {
        return "vgg16-tv";
    }

    @Override
    public String description() {
        return "torchvision VGG16 layout (7x7 adaptive average pool before fc1, so fc1 fits any input size), "
                + "134.3 M params + head at any input size; weights from torchvision .pth files";
    }

    @Override
    public double fromScratchLearningRate() {
        return Vgg16.FROM_SCRATCH_LEARNING_RATE; // the same convolutions, no BatchNorm either
    }

    @Override
    public FreezePoints freezePoints() {
        return POINTS;
    }

    @Override
    public String outputVertex() {
        return "classifier.6";
    }

    @Override
    public ComputationGraph build(InputShape input, int numClasses, long seed) {
        requireFits(input);
        OneDnnIsa.chooseFor(input, 0); // as the zoo VGG16: the same convolutions
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .activation(Activation.RELU)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()));
        String previous = "input";
        int index = 0;
        long height = input.height();
        long width = input.width();
        for (int channels : FEATURES) {
            String name = "features." + index;
            if (channels == 0) {
                g.addLayer(name, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[] {2, 2},
                        new int[] {2, 2}).build(), previous);
                height /= 2;
                width /= 2;
                index += 1;
            } else {
                g.addLayer(name, new ConvolutionLayer.Builder(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1})
                        .nOut(channels).build(), previous);
                index += 2; // torchvision's ReLU module takes the next index
            }
            previous = name;
        }
        g.addLayer("avgpool", new AdaptiveAvgPool(512, (int) height, (int) width, POOLED, POOLED), previous);
        g.addLayer("classifier.0", new DenseLayer.Builder().nOut(4096).build(), "avgpool");
        g.addLayer("classifier.3", new DenseLayer.Builder().nOut(4096).dropOut(0.5).build(), "classifier.0");
        g.addLayer("classifier.6", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).dropOut(0.5).build(), "classifier.3");
        g.setOutputs("classifier.6");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }
}

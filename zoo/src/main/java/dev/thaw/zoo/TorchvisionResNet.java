package dev.thaw.zoo;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * torchvision's ResNets ({@code resnet18}, {@code resnet50}) built from DL4J layers, layer for layer, so that a
 * torchvision {@code state_dict} loads into them ({@code --weights torchvision:FILE.pth}).
 *
 * <p>Differs from DL4J's zoo ResNet50 (which follows Keras) where torchvision does: the stride of a bottleneck sits
 * on its 3×3 convolution, not its first 1×1; the first stage does not downsample; convolutions have no bias; the
 * stem's max pooling is padded. Vertex names are torchvision's module names ({@code conv1}, {@code bn1},
 * {@code layer1.0.conv1}, {@code layer1.0.downsample.0}, …, {@code fc}), so a state_dict key is a vertex name plus
 * the parameter's torchvision name. A block's output (after its final ReLU) is the vertex named like the block
 * ({@code layer2.1}), which is where the freeze points sit. BatchNorm keeps its running variance as variance
 * ({@code useLogStd(false)}), as torchvision does; momentum 0.1 is DL4J's decay 0.9, epsilon 1e-5 in both.
 */
final class TorchvisionResNet extends TorchvisionLayout {

    private final String name;
    private final boolean bottleneck;
    private final int[] blocks;
    private final FreezePoints points;

    private TorchvisionResNet(String name, boolean bottleneck, int... blocks) {
        this.name = name;
        this.bottleneck = bottleneck;
        this.blocks = blocks;
        List<String> names = new ArrayList<>(List.of("stem"));
        List<String> vertices = new ArrayList<>(List.of("maxpool"));
        for (int stage = 1; stage <= blocks.length; stage++) {
            names.add("layer" + stage);
            vertices.add(block(stage, blocks[stage - 1] - 1));
        }
        this.points = new FreezePoints(name, names, vertices);
    }

    /** torchvision's {@code resnet18}: basic blocks [2, 2, 2, 2], 11.7 M parameters with the ImageNet head. */
    static TorchvisionResNet resnet18() {
        return new TorchvisionResNet("resnet18", false, 2, 2, 2, 2);
    }

    /** torchvision's {@code resnet50}: bottleneck blocks [3, 4, 6, 3], 25.6 M parameters with the ImageNet head. */
    static TorchvisionResNet resnet50() {
        return new TorchvisionResNet("resnet50-tv", true, 3, 4, 6, 3);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "torchvision " + (bottleneck ? "ResNet50" : "ResNet18") + " layout (global-average-pool head, "
                + (bottleneck ? "23.5" : "11.2") + " M params + head); weights from torchvision .pth files";
    }

    @Override
    public FreezePoints freezePoints() {
        return points;
    }

    @Override
    public String outputVertex() {
        return "fc";
    }

    @Override
    public ComputationGraph build(InputShape input, int numClasses, long seed) {
        requireFits(input);
        // measured for the zoo ResNet50 (the same small late-stage maps at small inputs): capped is faster to 64 px
        OneDnnIsa.chooseFor(input, 64);
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .activation(Activation.IDENTITY) // DL4J's default is sigmoid: every ReLU here is its own layer
                .weightInit(WeightInit.RELU) // torchvision's kaiming_normal_(fan_out) on convolutions is close
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()));
        g.addLayer("conv1", conv(7, 2, 3, 64), "input");
        g.addLayer("bn1", batchNorm(), "conv1");
        g.addLayer("relu", relu(), "bn1");
        g.addLayer("maxpool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[] {3, 3},
                new int[] {2, 2}, new int[] {1, 1}).build(), "relu");
        String previous = "maxpool";
        int channels = 64;
        for (int stage = 1; stage <= blocks.length; stage++) {
            int width = 64 << (stage - 1);
            for (int b = 0; b < blocks[stage - 1]; b++) {
                int stride = stage > 1 && b == 0 ? 2 : 1;
                previous = bottleneck ? bottleneckBlock(g, block(stage, b), previous, channels, width, stride)
                        : basicBlock(g, block(stage, b), previous, channels, width, stride);
                channels = bottleneck ? width * 4 : width;
            }
        }
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
        g.addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "avgpool");
        g.setOutputs("fc");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    private static String block(int stage, int index) {
        return "layer" + stage + "." + index;
    }

    /** conv3x3 (stride) - bn - relu - conv3x3 - bn, plus the shortcut, then relu. */
    private static String basicBlock(ComputationGraphConfiguration.GraphBuilder g, String name, String in,
                                     int inChannels, int width, int stride) {
        g.addLayer(name + ".conv1", conv(3, stride, 1, width), in);
        g.addLayer(name + ".bn1", batchNorm(), name + ".conv1");
        g.addLayer(name + ".relu1", relu(), name + ".bn1");
        g.addLayer(name + ".conv2", conv(3, 1, 1, width), name + ".relu1");
        g.addLayer(name + ".bn2", batchNorm(), name + ".conv2");
        return residual(g, name, in, name + ".bn2", inChannels, width, stride);
    }

    /** conv1x1 - bn - relu - conv3x3 (stride) - bn - relu - conv1x1 (4x) - bn, plus the shortcut, then relu. */
    private static String bottleneckBlock(ComputationGraphConfiguration.GraphBuilder g, String name, String in,
                                          int inChannels, int width, int stride) {
        g.addLayer(name + ".conv1", conv(1, 1, 0, width), in);
        g.addLayer(name + ".bn1", batchNorm(), name + ".conv1");
        g.addLayer(name + ".relu1", relu(), name + ".bn1");
        g.addLayer(name + ".conv2", conv(3, stride, 1, width), name + ".relu1");
        g.addLayer(name + ".bn2", batchNorm(), name + ".conv2");
        g.addLayer(name + ".relu2", relu(), name + ".bn2");
        g.addLayer(name + ".conv3", conv(1, 1, 0, width * 4), name + ".relu2");
        g.addLayer(name + ".bn3", batchNorm(), name + ".conv3");
        return residual(g, name, in, name + ".bn3", inChannels, width * 4, stride);
    }

    /** Adds the block's input (through torchvision's {@code downsample} when the shape changes) and a ReLU. */
    private static String residual(ComputationGraphConfiguration.GraphBuilder g, String name, String in,
                                   String branch, int inChannels, int outChannels, int stride) {
        String shortcut = in;
        if (stride != 1 || inChannels != outChannels) {
            g.addLayer(name + ".downsample.0", conv(1, stride, 0, outChannels), in);
            g.addLayer(name + ".downsample.1", batchNorm(), name + ".downsample.0");
            shortcut = name + ".downsample.1";
        }
        g.addVertex(name + ".add", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut);
        g.addLayer(name, relu(), name + ".add");
        return name;
    }

    private static ConvolutionLayer conv(int kernel, int stride, int padding, int out) {
        return new ConvolutionLayer.Builder(new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding}).nOut(out).hasBias(false).build();
    }

    private static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().decay(0.9).eps(1e-5).useLogStd(false).build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}

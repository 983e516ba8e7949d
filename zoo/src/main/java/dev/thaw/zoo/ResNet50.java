package dev.thaw.zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.zoo.ZooModel;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's zoo ResNet50 with its head swapped for global average pooling.
 *
 * <p>The shipped head is a fixed 3×3 pooling layer followed by the output layer, which only fits inputs of about
 * 69 px and up (below that DL4J fails with "OutputLayer nIn=0"). Global average pooling gives the same 2048
 * features at every size, so the graph builds from 32 px to 224 px and beyond. The vertex names stay DL4J's, so
 * DL4J's ImageNet weights load into every layer that has any.
 */
final class ResNet50 implements Backbone {

    // The zoo's default init (truncated normal, std 0.5) makes a random 50-layer net overflow to NaN in its first
    // forward pass, as BatchNorm starts as identity; He init keeps random activations finite so that training
    // from scratch (and any layer left random after loading weights) works.

    private static final FreezePoints POINTS = new FreezePoints("resnet50",
            List.of("stem", "res2", "res3", "res4", "res5"),
            List.of("stem-maxpool1", "res2c_branch", "res3d_branch", "res4f_branch", "res5c_branch"));

    @Override
    public String name() {
        return "resnet50";
    }

    @Override
    public String description() {
        return "DL4J zoo ResNet50 with a global-average-pool head, 23.5 M params + head; ImageNet weights";
    }

    @Override
    public InputShape nativeInput() {
        return InputShape.rgb(224);
    }

    @Override
    public int minInputSize() {
        return 32;
    }

    @Override
    public Normalization normalization() {
        return Normalization.VGG_MEAN;
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
    public Optional<ZooModel<?>> imagenetZooModel() {
        return Optional.of(zooModel(nativeInput(), 1000, 1234));
    }

    @Override
    public ComputationGraph build(InputShape input, int numClasses, long seed) {
        requireFits(input);
        // Winograd on the last stages' 1x1 and 2x2 maps: capped, 32 and 64 px steps ~20 % faster, 224 px slower
        OneDnnIsa.chooseFor(input, 64);
        ComputationGraphConfiguration.GraphBuilder g = zooModel(input, numClasses, seed).graphBuilder();
        g.removeVertex("avgpool").removeVertex("output")
                .addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "res5c_branch")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(numClasses).activation(Activation.SOFTMAX).build(), "avgpool")
                .setOutputs("output");
        keepStageTwoResolution(g);
        ComputationGraphConfiguration conf = g.build();
        withoutRegularization(conf);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * DL4J's zoo ResNet50 downsamples at the start of stage 2 (stride 2 on {@code res2a_branch2a} and
     * {@code res2a_branch1}); Keras' ResNet50, which DL4J's ImageNet weights were converted from, and every other
     * ResNet keep stride 1 there (the stem's max pooling has just halved the maps). With the extra stride every map
     * after the stem is half as wide: at 32 px stages 4 and 5 run on 1×1 maps, where their 3×3 convolutions see only
     * their centre tap and BatchNorm's training statistics come from the batch alone. Parameter shapes do not depend
     * on strides, so every weight file still loads. Measured in benchmarks/results/parity.md.
     */
    private static void keepStageTwoResolution(ComputationGraphConfiguration.GraphBuilder g) {
        for (String vertex : List.of("res2a_branch2a", "res2a_branch1")) {
            LayerVertex v = (LayerVertex) g.getVertices().get(vertex);
            ((ConvolutionLayer) v.getLayerConf().getLayer()).setStride(new int[] {1, 1});
        }
    }

    /**
     * Drops the zoo's built-in L1 (1e-7) and L2 (5e-5) from every layer: in Thaw, regularization is the training
     * run's weight decay and nothing else, so that {@code --weight-decay 0} means none. They also cost 11 % of a
     * 64 px training step (a norm over all 23.5 M weights for the score and a sign/add pass for the update).
     */
    private static void withoutRegularization(ComputationGraphConfiguration conf) {
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                layer.setRegularization(new ArrayList<>());
                layer.setRegularizationBias(new ArrayList<>());
            }
        }
    }

    private static org.deeplearning4j.zoo.model.ResNet50 zooModel(InputShape input, int numClasses, long seed) {
        return org.deeplearning4j.zoo.model.ResNet50.builder()
                .inputShape(input.toArray()).numClasses(numClasses).seed(seed)
                .weightInit(new WeightInitRelu())
                .build();
    }
}

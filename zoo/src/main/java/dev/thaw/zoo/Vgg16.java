package dev.thaw.zoo;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.VGG16;

/**
 * DL4J's zoo VGG16 (vertices {@code "0"}…{@code "20"}). Five pooling stages make 32 px the smallest input; at
 * sizes other than 224 px the first dense layer ({@code fc1}, vertex 18) changes shape, so ImageNet weights cannot
 * fill it there.
 */
final class Vgg16 implements Backbone {

    private static final FreezePoints POINTS = new FreezePoints("vgg16",
            List.of("block1", "block2", "block3", "block4", "block5", "fc1", "fc2"),
            List.of("2", "5", "9", "13", "17", "18", "19"));

    @Override
    public String name() {
        return "vgg16";
    }

    @Override
    public String description() {
        return "DL4J zoo VGG16, 134 M params at 224 px (15 M in the conv blocks); ImageNet weights";
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
        return "20";
    }

    /**
     * No BatchNorm: from random weights at 1e-3 VGG16 stays at chance (every row of {@code demo --model vgg16} did);
     * at 1e-4 it learns (Fashion-MNIST 0-4 at 32 px, 2 epochs: test 0.861). Also {@code vgg16-tv}'s.
     */
    static final double FROM_SCRATCH_LEARNING_RATE = 1e-4;

    @Override
    public double fromScratchLearningRate() {
        return FROM_SCRATCH_LEARNING_RATE;
    }

    @Override
    public Set<String> inputSizeDependentVertices() {
        return Set.of("18");
    }

    @Override
    public Optional<ZooModel<?>> imagenetZooModel() {
        return Optional.of(zooModel(nativeInput(), 1000, 1234));
    }

    @Override
    public ComputationGraph build(InputShape input, int numClasses, long seed) {
        requireFits(input);
        OneDnnIsa.chooseFor(input, 0); // measured at 64 px: capped is slower (full step 0.75 -> 0.89 s)
        ComputationGraph graph = new ComputationGraph(zooModel(input, numClasses, seed).conf());
        graph.init();
        return graph;
    }

    private static VGG16 zooModel(InputShape input, int numClasses, long seed) {
        return VGG16.builder().inputShape(input.toArray()).numClasses(numClasses).seed(seed).build();
    }
}

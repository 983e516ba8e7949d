package dev.thaw.zoo;

import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.ZooModel;

/**
 * A network body Thaw can transfer from: how to build it, where it can be frozen, what input it expects.
 *
 * <p>Everything architecture-specific lives here (vertex names, head layout, normalization), so that the engine
 * never hard-codes a layer name. Implementations are stateless; get them from {@link Backbones}.
 */
public interface Backbone {

    /** The catalog name users type, e.g. {@code resnet50}. */
    String name();

    /** One line for {@code inspect} and {@code --help}. */
    String description();

    /** The input size the architecture was designed (and, for ImageNet weights, trained) for. */
    InputShape nativeInput();

    /** Smallest height/width {@link #build} accepts. */
    int minInputSize();

    /** Pixel normalization the backbone's weights expect. */
    Normalization normalization();

    /** Ordered freeze points, input to head. */
    FreezePoints freezePoints();

    /** The name of the graph's single output vertex (the classifier layer replaced on transfer). */
    String outputVertex();

    /**
     * Builds a randomly initialised graph for this input and class count, with a softmax output of
     * {@code numClasses}. Fails with a message naming {@link #minInputSize()} for inputs that are too small.
     */
    ComputationGraph build(InputShape input, int numClasses, long seed);

    /**
     * Vertices whose parameter shapes depend on the input size (e.g. VGG16's first dense layer), so weights
     * trained at another size cannot be copied into them.
     */
    default Set<String> inputSizeDependentVertices() {
        return Set.of();
    }

    /**
     * Whether the graph is built in torchvision's layout with torchvision's module names as vertex names, so that
     * a PyTorch state_dict loads into it ({@code --weights torchvision:FILE.pth}).
     */
    default boolean readsTorchvisionStateDicts() {
        return false;
    }

    /**
     * Adam's learning rate for training this architecture from random weights (pretraining, or {@code scratch}).
     * 1e-3 unless the architecture needs less.
     */
    default double fromScratchLearningRate() {
        return 1e-3;
    }

    /**
     * Below how many training images per class {@code --batchnorm auto} keeps this backbone's pretrained BatchNorm
     * frozen while the layers around it fine-tune: 50, the crossover measured on ResNet50; 0 where adapting the
     * statistics to the new images always helped.
     */
    default int frozenBatchNormBelow() {
        return 50;
    }

    /** The DL4J zoo model whose ImageNet weights fit this backbone, if DL4J publishes any. */
    default Optional<ZooModel<?>> imagenetZooModel() {
        return Optional.empty();
    }

    /** Checks the input against {@link #minInputSize()} with a message that names the fix. */
    default void requireFits(InputShape input) {
        if (input.minSide() < minInputSize()) {
            throw new IllegalArgumentException(name() + " needs inputs of at least " + minInputSize() + "x"
                    + minInputSize() + " px, got " + input + ": pass a larger --input (its native size is "
                    + nativeInput() + ")");
        }
    }
}

package dev.thaw.zoo;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * DL4J's {@link CacheMode} for the graphs Thaw trains. Under DL4J's default, {@code NONE}, a convolution layer does
 * not keep its pre-activation from the forward pass, so its backward pass runs the forward convolution again
 * ({@code ConvolutionLayer.backpropGradient} → {@code preOutput4d}): every training step convolves twice.
 * {@code DEVICE} keeps the pre-activation in the activations workspace for the backward pass. DL4J's
 * {@code TransferLearning} rebuilds configurations with {@code NONE}, so Thaw sets the mode on each graph it is about
 * to train, after building it. Measured: see README "Speed".
 */
public final class ConvCache {

    /** Thaw's default: keep pre-activations for the backward pass. */
    public static final CacheMode DEFAULT = CacheMode.DEVICE;

    private ConvCache() {
    }

    /** Sets Thaw's default mode on {@code graph} and returns it. */
    public static ComputationGraph apply(ComputationGraph graph) {
        return apply(graph, DEFAULT);
    }

    /** Sets {@code mode} on {@code graph} (its configuration and every layer) and returns it. */
    public static ComputationGraph apply(ComputationGraph graph, CacheMode mode) {
        graph.getConfiguration().setCacheMode(mode); // opens the workspace the layers cache into during training
        graph.setCacheMode(mode); // each layer's own switch
        return graph;
    }
}

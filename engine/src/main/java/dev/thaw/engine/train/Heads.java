package dev.thaw.engine.train;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.InputShape;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A new classifier head: the backbone's output layer replaced by a dense layer with dropout and a fresh output
 * layer, through DL4J's {@link TransferLearning.GraphBuilder}. Both new layers sit after the deepest freeze point,
 * so every strategy trains them.
 */
public final class Heads {

    /** Name of the added dense layer. */
    public static final String DENSE = "head_dense";

    private Heads() {
    }

    /**
     * @param width   units of the new dense layer (ReLU)
     * @param dropout probability of dropping a unit of it during training (0: none)
     */
    public static ComputationGraph denseHead(ComputationGraph graph, Backbone backbone, InputShape input, int classes,
                                             int width, double dropout, long seed) {
        if (width < 1 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("--head-width must be at least 1 and --dropout in [0, 1), got "
                    + width + " and " + dropout);
        }
        String output = backbone.outputVertex();
        List<String> inputs = graph.getConfiguration().getVertexInputs().get(output);
        DenseLayer.Builder dense = new DenseLayer.Builder().nOut(width).activation(Activation.RELU)
                .weightInit(WeightInit.RELU);
        if (dropout > 0) {
            dense.dropOut(1 - dropout); // DL4J takes the probability of keeping a unit
        }
        // Input types go after the first edit (DL4J creates the edited configuration lazily); without them DL4J
        // cannot infer the preprocessors of the new layers on some graphs (ResNet50: "Missing preprocessor").
        return new TransferLearning.GraphBuilder(graph)
                .removeVertexAndConnections(output)
                .setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()))
                .addLayer(DENSE, dense.build(), inputs.toArray(String[]::new))
                .addLayer(output, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), DENSE)
                .setOutputs(output)
                .build();
    }
}

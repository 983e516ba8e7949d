package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.InputShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;

/**
 * Weights from a Keras model saved as HDF5 ({@code model.save("x.h5")}), imported with DL4J's Keras model import.
 * Keras names layers its own way, so they are matched to the backbone by order (see {@link WeightTransfer}).
 */
public final class KerasWeights implements WeightSource {

    private final Path file;

    public KerasWeights(Path file) {
        this.file = file;
    }

    @Override
    public String describe() {
        return "keras:" + file;
    }

    @Override
    public LoadedModel load(Backbone backbone, InputShape input, int numClasses, long seed) {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("Keras file " + file + " does not exist: check the --weights path");
        }
        ComputationGraph source;
        try {
            source = KerasModelImport.importKerasModelAndWeights(file.toString(), false);
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new WeightsException(file + " could not be imported as a Keras functional model with weights ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "). Save it from Keras with "
                    + "model.save('model.h5') (HDF5, not SavedModel), or convert it to a DL4J zip.", e);
        }
        ComputationGraph target = backbone.build(input, numClasses, seed);
        List<String> fresh = WeightTransfer.copy(source, target, backbone, file.toString());
        return new LoadedModel(target, describe(), "sha256:" + FileChecksums.sha256(file), fresh);
    }
}

package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.InputShape;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Weights from a DL4J model zip on disk: one saved by any DL4J program, or by Thaw itself (e.g. {@code pretrain}).
 * A Thaw zip says which backbone it holds; loading it as another backbone fails before any weight is touched.
 */
public final class ModelFileWeights implements WeightSource {

    private final Path file;
    private final boolean requireThawInfo;

    /** @param requireThawInfo true for {@code thaw:PATH}: the zip must be one Thaw saved */
    public ModelFileWeights(Path file, boolean requireThawInfo) {
        this.file = file;
        this.requireThawInfo = requireThawInfo;
    }

    @Override
    public String describe() {
        return (requireThawInfo ? "thaw:" : "dl4j:") + file;
    }

    @Override
    public LoadedModel load(Backbone backbone, InputShape input, int numClasses, long seed) {
        Optional<ThawModelFile.Info> info = ThawModelFile.readInfo(file);
        if (requireThawInfo && info.isEmpty()) {
            throw new WeightsException(file + " was not saved by Thaw (no " + ThawModelFile.INFO_ENTRY
                    + " inside): pass it as dl4j:" + file + " to load it as a plain DL4J model");
        }
        if (info.isPresent() && !info.get().backbone().equals(backbone.name())) {
            throw new WeightsException(file + " holds a " + info.get().backbone() + " model, not " + backbone.name()
                    + ": run with --model " + info.get().backbone() + ", or pick another weights file");
        }
        ComputationGraph source = ThawModelFile.restore(file, false);
        ComputationGraph target = backbone.build(input, numClasses, seed);
        List<String> fresh = WeightTransfer.copy(source, target, backbone, file.toString());
        return new LoadedModel(target, describe(), "sha256:" + FileChecksums.sha256(file), fresh);
    }
}

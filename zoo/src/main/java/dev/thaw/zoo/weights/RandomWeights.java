package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.InputShape;
import java.util.List;

/** Fresh random weights from the backbone's own initialisation, reproducible from the seed. */
public final class RandomWeights implements WeightSource {

    @Override
    public String describe() {
        return "random";
    }

    @Override
    public boolean pretrained() {
        return false;
    }

    @Override
    public LoadedModel load(Backbone backbone, InputShape input, int numClasses, long seed) {
        return new LoadedModel(backbone.build(input, numClasses, seed), describe(), "random:seed=" + seed, List.of());
    }
}

package dev.thaw.engine.train;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.Dataset;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.FashionMnist;
import dev.thaw.engine.data.Item;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import java.util.List;

/** A few hundred real Fashion-MNIST images (3 classes, 28×28 gray) and the small backbone, for fast training tests. */
final class TinyData {

    static final Backbone SMALL = Backbones.get("smallcnn");
    static final InputShape SHAPE = new InputShape(1, 28, 28);
    private static final Dataset FMNIST = FashionMnist.bundled();

    private TinyData() {
    }

    static DataSplits splits(int images, int perClass) {
        List<Item> items = FMNIST.items().stream().filter(i -> i.label() < 3).limit(images).toList();
        Dataset d = new Dataset("tiny", FMNIST.classes().subList(0, 3), items, List.of(), List.of(),
                FMNIST.fingerprint() + "/first" + images, FMNIST.decoder());
        return Splitter.split(d, new SplitPlan(1, 0.2, 0, perClass, ""));
    }

    static DataPipeline pipeline(DataSplits splits) {
        return new DataPipeline(splits, SHAPE, SMALL.normalization(), PipelineOptions.DEFAULT.withBatchSize(16),
                new DecodeCache(null, 1 << 26));
    }

    /** Settings of a run with BatchNorm trained (the network is random, but trained as if pretrained). */
    static TrainSettings settings(String strategy, int epochs, double lr, boolean featureCache) {
        return settings(strategy, epochs, lr, featureCache, BatchNormMode.TRAIN);
    }

    static TrainSettings settings(String strategy, int epochs, double lr, boolean featureCache,
                                  BatchNormMode batchNorm) {
        return new TrainSettings(Strategy.parse(strategy), new Optimizer("adam", new LearningRate(lr, "constant"), 0),
                epochs, 3, 0, featureCache, batchNorm, true);
    }

    static FeatureCache.Key key() {
        return new FeatureCache.Key("smallcnn", "random:seed=5", "", SHAPE.toString(), "UNIT", "");
    }
}

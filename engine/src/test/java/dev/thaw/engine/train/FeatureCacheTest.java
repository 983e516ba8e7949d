package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.data.DataPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of frozen-prefix features: a hit skips the frozen forward pass, any change of inputs misses. */
class FeatureCacheTest {

    @TempDir
    Path dir;

    private Trainer.Result train(FeatureCache cache, FeatureCache.Key key, String strategy, double lr, int images,
                                 long weightsSeed) {
        DataPipeline pipeline = TinyData.pipeline(TinyData.splits(images, 0));
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, weightsSeed);
        return new Trainer(TinyData.SMALL, TinyData.settings(strategy, 2, lr, true), pipeline, cache, key, null,
                List.of()).fit(master, List.of());
    }

    @Test
    void secondRunAndAnotherLearningRateReuseTheFeatures() throws Exception {
        FeatureCache first = new FeatureCache(dir);
        Trainer.Result a = train(first, TinyData.key(), "head", 1e-2, 240, 5);
        assertEquals(2, first.computed(), "train and val featurized once each for 2 epochs");
        assertTrue(a.history().stream().allMatch(EpochMetrics::featurized));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }

        FeatureCache second = new FeatureCache(dir);
        train(second, TinyData.key(), "head", 3e-3, 240, 5);
        assertEquals(0, second.computed(), "hit: no frozen forward pass at all");
        assertEquals(2, second.hits());
    }

    @Test
    void featuresFromTheCacheTrainTheSameModelAsRecomputedOnes() {
        Trainer.Result cold = train(new FeatureCache(dir), TinyData.key(), "head", 1e-2, 240, 5);
        Trainer.Result warm = train(new FeatureCache(dir), TinyData.key(), "head", 1e-2, 240, 5);
        assertEquals(cold.model().params(), warm.model().params());
    }

    @Test
    void changedDataWeightsOrFreezePointMiss() {
        FeatureCache cache = new FeatureCache(dir);
        train(cache, TinyData.key(), "head", 1e-2, 240, 5);
        int before = cache.computed();
        train(cache, TinyData.key(), "head", 1e-2, 210, 5);
        assertEquals(before + 2, cache.computed(), "other images: new features");
        FeatureCache.Key otherWeights = new FeatureCache.Key("smallcnn", "random:seed=6", "", "1x28x28", "UNIT", "");
        train(cache, otherWeights, "head", 1e-2, 240, 6);
        assertEquals(before + 4, cache.computed(), "other weights: new features");
        train(cache, TinyData.key(), "freeze:block2", 1e-2, 240, 5);
        assertEquals(before + 6, cache.computed(), "other freeze point: new features");
    }
}

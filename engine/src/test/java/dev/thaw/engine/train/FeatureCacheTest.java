package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.FashionMnist;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

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
        // enough images for more evaluation batches than the pipeline prefetches (4 of up to 256)
        Trainer.Result a = train(first, TinyData.key(), "head", 1e-2, 1800, 5);
        assertEquals(2, first.computed(), "train and val featurized once each for 2 epochs");
        assertTrue(a.history().stream().allMatch(EpochMetrics::featurized));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }

        long prefetching = prefetchThreads();
        FeatureCache second = new FeatureCache(dir);
        train(second, TinyData.key(), "head", 3e-3, 1800, 5);
        assertEquals(0, second.computed(), "hit: no frozen forward pass at all");
        assertEquals(2, second.hits());
        assertEquals(prefetching, prefetchThreads(), "a hit opens no data: a prefetch thread opened and never read "
                + "stayed alive (one per sweep candidate)");
    }

    private static long prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("ADSI prefetch")).count();
    }

    @Test
    void aStopRequestEndsFeaturizingWithoutAHalfEntry() throws Exception {
        StopSignal.request("SIGTERM");
        try {
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                    () -> train(new FeatureCache(dir), TinyData.key(), "head", 1e-2, 240, 5));
            assertTrue(e.getMessage().startsWith("featurizing stopped by SIGTERM after 0 batches"), e.getMessage());
        } finally {
            StopSignal.clear();
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing cached from a stopped featurization");
        }
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

    /**
     * The pipeline prefetches into a cyclic workspace, so a batch's arrays are overwritten a few batches later:
     * features and labels must be copied out, or a split of more batches than the prefetch queue holds comes back
     * with other batches' labels (seen as a negative "loss" and poor accuracy on large label budgets).
     */
    @Test
    void featuresOfManyBatchesKeepTheirOwnLabels() {
        // 3,500 images in 110 batches of 32: the case that failed (20 batches of 16 did not show it)
        DataSplits splits = Splitter.split(FashionMnist.bundled(), new SplitPlan(1, 0.15, 0.15, 0, "5-9"));
        DataPipeline pipeline = new DataPipeline(splits, TinyData.SHAPE, TinyData.SMALL.normalization(),
                PipelineOptions.DEFAULT.withBatchSize(32), new DecodeCache(null, 1L << 30));
        List<INDArray> expected = new ArrayList<>();
        DataSetIterator it = pipeline.evaluation(Split.TRAIN);
        while (it.hasNext()) {
            expected.add(it.next().getLabels().dup());
        }
        assertTrue(expected.size() > 12, "enough batches to cycle the prefetch workspace: " + expected.size());
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 5, 5);
        DataSet features = new FeatureCache(null).featurize(master, TinyData.SMALL.freezePoints().resolve("block2"),
                TinyData.key(), pipeline, Split.TRAIN);
        assertEquals(Nd4j.vstack(expected.toArray(new INDArray[0])), features.getLabels());
        assertTrue(features.getFeatures().sumNumber().doubleValue() != 0);
    }
}

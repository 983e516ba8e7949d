package dev.thaw.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

class DataPipelineTest {

    private static final InputShape SHAPE = InputShape.rgb(32);

    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void folder() throws IOException {
        data = dir.resolve("data");
        TestImages.pngs(data.resolve("a"), 12, 1);
        TestImages.pngs(data.resolve("b"), 12, 50);
    }

    private DataPipeline pipeline(PipelineOptions options, DecodeCache cache) {
        DataSplits s = Splitter.split(ImageFolder.scan(data, false), new SplitPlan(5, 0.25, 0, 0, ""));
        return new DataPipeline(s, SHAPE, Normalization.UNIT, options.withBatchSize(4), cache);
    }

    /** Features of a whole pass, one array per batch. */
    private static List<INDArray> epoch(DataSetIterator it) {
        List<INDArray> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next().getFeatures().dup());
        }
        return batches;
    }

    /**
     * 18 training images at batch 4: five batches of 3 or 4 (never 4, 4, 4, 4 and a lone 2 that BatchNorm would
     * normalize by), on both the decoded-image and the streaming path; held-out splits are cut plainly, in larger
     * batches at small inputs.
     */
    @Test
    void trainingBatchesAreEvenAndHeldOutOnesPlain() {
        assertEquals(List.of(25, 25, 25, 25), sizes(EpochOrder.batchSizes(100, 32)));
        assertEquals(List.of(31, 31, 31, 32), sizes(EpochOrder.batchSizes(125, 32)));
        assertEquals(List.of(7), sizes(EpochOrder.batchSizes(7, 32)));
        for (boolean decoded : List.of(true, false)) {
            DataPipeline p = pipeline(PipelineOptions.DEFAULT.withDecodeCache(decoded), new DecodeCache(null, 1 << 26));
            DataSetIterator train = p.train(1);
            for (int e = 0; e < 2; e++) {
                assertEquals(List.of(3, 4, 3, 4, 4), epoch(train).stream().map(x -> (int) x.size(0)).toList());
                train.reset();
            }
            assertEquals(128, p.evaluationBatch(), "forward passes at 32 px: 128 images a batch");
            assertEquals(List.of(6), epoch(p.evaluation(Split.VAL)).stream().map(x -> (int) x.size(0)).toList());
        }
    }

    private static List<Integer> sizes(int[] sizes) {
        return java.util.Arrays.stream(sizes).boxed().toList();
    }

    @Test
    void repeatedEpochsDecodeOnce() {
        DecodeCache cache = new DecodeCache(null, 1 << 26);
        DataSetIterator train = pipeline(PipelineOptions.DEFAULT, cache).train(1);
        for (int e = 0; e < 3; e++) {
            epoch(train);
            train.reset();
        }
        assertEquals(1, cache.decodes(), "decoded in the first epoch only");
        assertTrue(cache.memoryHits() >= 3, "later epochs served from memory: " + cache.memoryHits());
    }

    @Test
    void diskCacheServesTheNextRunAndNeverAStaleOne() throws IOException {
        Path cacheDir = dir.resolve("cache");
        epoch(pipeline(PipelineOptions.DEFAULT, new DecodeCache(cacheDir, 1 << 26)).evaluation(Split.TRAIN));

        DecodeCache second = new DecodeCache(cacheDir, 1 << 26);
        List<INDArray> fromDisk = epoch(pipeline(PipelineOptions.DEFAULT, second).evaluation(Split.TRAIN));
        assertEquals(0, second.decodes(), "a second run reuses the decoded file");
        assertEquals(1, second.diskHits());

        // Replace one image with another picture: size/time change, so the old entry must not be served.
        Path changed = Files.list(data.resolve("a")).sorted().findFirst().orElseThrow();
        TestImages.write(changed, "png", java.awt.image.BufferedImage.TYPE_INT_RGB, 40, 36, 999);
        Files.setLastModifiedTime(changed, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        DecodeCache third = new DecodeCache(cacheDir, 1 << 26);
        List<INDArray> afterChange = epoch(pipeline(PipelineOptions.DEFAULT, third).evaluation(Split.TRAIN));
        assertEquals(1, third.decodes(), "changed data is decoded again");
        assertNotEquals(fromDisk, afterChange);
    }

    @Test
    void streamingDataVecPathServesTheSamePixelsAsTheCache() {
        List<INDArray> cached = epoch(pipeline(PipelineOptions.DEFAULT, new DecodeCache(null, 1 << 26))
                .evaluation(Split.TRAIN));
        DecodeCache unused = new DecodeCache(null, 1 << 26);
        List<INDArray> streamed = epoch(pipeline(PipelineOptions.DEFAULT.withDecodeCache(false), unused)
                .evaluation(Split.TRAIN));
        assertEquals(cached, streamed);
        assertEquals(0, unused.decodes());
        // And when the images do not fit the budget, the cache is bypassed the same way.
        DecodeCache tiny = new DecodeCache(null, 1000);
        assertEquals(cached, epoch(pipeline(PipelineOptions.DEFAULT, tiny).evaluation(Split.TRAIN)));
        assertEquals(0, tiny.decodes());
    }

    @Test
    void trainingOrderIsSeededAndChangesEveryEpoch() {
        DataSetIterator a = pipeline(PipelineOptions.DEFAULT, new DecodeCache(null, 1 << 26)).train(7);
        DataSetIterator b = pipeline(PipelineOptions.DEFAULT, new DecodeCache(null, 1 << 26)).train(7);
        List<INDArray> a0 = epoch(a);
        assertEquals(a0, epoch(b));
        a.reset();
        assertNotEquals(a0, epoch(a), "reshuffled each epoch");
        DataSetIterator c = pipeline(PipelineOptions.DEFAULT, new DecodeCache(null, 1 << 26)).train(8);
        assertNotEquals(a0, epoch(c));
    }

    @Test
    void augmentationIsSeededTrainOnlyAndChangesPixels() {
        Augmentation aug = Augmentation.parse("flip,crop,rotate", SHAPE);
        PipelineOptions augmented = PipelineOptions.DEFAULT.withAugmentation(aug);
        List<INDArray> plain = epoch(pipeline(PipelineOptions.DEFAULT, new DecodeCache(null, 1 << 26)).train(3));
        List<INDArray> one = epoch(pipeline(augmented, new DecodeCache(null, 1 << 26)).train(3));
        List<INDArray> two = epoch(pipeline(augmented, new DecodeCache(null, 1 << 26)).train(3));
        assertEquals(one, two, "same seed, same augmented epoch");
        assertNotEquals(plain, one, "augmentation changes the images");
        assertEquals(Nd4j.concat(0, plain.toArray(INDArray[]::new)).shape()[0],
                Nd4j.concat(0, one.toArray(INDArray[]::new)).shape()[0]);
        List<INDArray> val = epoch(pipeline(augmented, new DecodeCache(null, 1 << 26)).evaluation(Split.VAL));
        List<INDArray> valPlain = epoch(pipeline(PipelineOptions.DEFAULT, new DecodeCache(null, 1 << 26))
                .evaluation(Split.VAL));
        assertEquals(valPlain, val, "validation is never augmented");
    }

    @Test
    void augmentationSpecErrorsNameTheOptions() {
        DataException e = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> Augmentation.parse("flip,blur", SHAPE));
        assertTrue(e.getMessage().contains("unknown augmentation 'blur'"), e.getMessage());
        assertEquals("flip,crop=0.2,rotate=15.0", Augmentation.parse("flip, crop=0.2, rotate=15", SHAPE).toString());
    }
}

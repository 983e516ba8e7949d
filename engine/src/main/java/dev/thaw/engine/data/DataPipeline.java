package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.util.List;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a run's splits as DL4J iterators at the backbone's input shape and normalization: the training split
 * shuffled and (if asked) augmented, val/test in a fixed order and never augmented. Batches are prepared on a
 * background thread ({@link AsyncDataSetIterator}) so decoding and augmentation overlap training.
 */
public final class DataPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(DataPipeline.class);

    private final DataSplits splits;
    private final InputShape shape;
    private final Normalization normalization;
    private final PipelineOptions options;
    private final DecodeCache cache;

    public DataPipeline(DataSplits splits, InputShape shape, Normalization normalization, PipelineOptions options,
                        DecodeCache cache) {
        this.splits = splits;
        this.shape = shape;
        this.normalization = normalization;
        this.options = options;
        this.cache = cache;
    }

    public DataSplits splits() {
        return splits;
    }

    public PipelineOptions options() {
        return options;
    }

    public InputShape shape() {
        return shape;
    }

    /** The training split: reshuffled every epoch from {@code seed}, augmented as configured. */
    public DataSetIterator train(long seed) {
        return iterator(Split.TRAIN, true, seed, options.augmentation());
    }

    /**
     * A held-out split (or the training split for evaluation): fixed order, no augmentation, in batches of
     * {@link #evaluationBatch} images.
     */
    public DataSetIterator evaluation(Split split) {
        return iterator(split, false, 0, Augmentation.NONE);
    }

    /**
     * Images per batch when only forward passes run (validation, testing, featurizing): the training batch, or more
     * on small inputs, up to as many pixels as 128 images of 32 px. DL4J's fixed cost per batch (the graph walk and
     * hundreds of small native ops) dominates there: ResNet50 at 32 px scores 350 images/s at batch 32 and 557 at
     * 128.
     */
    public int evaluationBatch() {
        long pixels = (long) shape.height() * shape.width();
        return (int) Math.max(options.batchSize(), Math.min(256, 128L * 32 * 32 / pixels));
    }

    private DataSetIterator iterator(Split split, boolean shuffle, long seed, Augmentation augmentation) {
        List<Item> items = splits.get(split);
        if (items.isEmpty()) {
            throw new DataException("the " + split.folderName() + " split is empty: give it images, or a --"
                    + split.folderName() + " fraction above 0");
        }
        Dataset dataset = splits.dataset();
        boolean isFolder = dataset.decoder() instanceof FolderDecoder;
        int batch = shuffle ? options.batchSize() : evaluationBatch();
        DataSetIterator it;
        if (options.decodeCache() && cache.fits(items.size(), shape)) {
            it = new ImageBatches(() -> cache.get(dataset, items, shape), shape, splits.numClasses(),
                    batch, shuffle, seed, augmentation, normalization);
        } else if (isFolder) {
            if (options.decodeCache()) {
                LOG.info("{} images at {} exceed the decode cache budget: decoding every epoch", items.size(), shape);
            }
            it = new FolderStream(items, shape, splits.numClasses(), batch, shuffle, seed, augmentation,
                    normalization);
        } else {
            it = new ImageBatches(() -> dataset.decoder().decode(items, shape), shape, splits.numClasses(),
                    batch, shuffle, seed, augmentation, normalization);
        }
        return options.prefetch() > 0 ? new AsyncDataSetIterator(it, options.prefetch(), true) : it;
    }
}

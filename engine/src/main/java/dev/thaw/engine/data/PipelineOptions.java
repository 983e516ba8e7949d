package dev.thaw.engine.data;

/**
 * How batches are served.
 *
 * @param batchSize      images per minibatch
 * @param augmentation   training-only augmentation; {@link Augmentation#NONE} by default
 * @param decodeCache    keep decoded images between epochs (and runs) instead of decoding every epoch
 * @param prefetch       batches prepared ahead on a background thread (0: none)
 */
public record PipelineOptions(int batchSize, Augmentation augmentation, boolean decodeCache, int prefetch) {

    public static final PipelineOptions DEFAULT = new PipelineOptions(32, Augmentation.NONE, true, 4);

    public PipelineOptions {
        if (batchSize < 1) {
            throw new DataException("--batch must be at least 1, got " + batchSize);
        }
    }

    public PipelineOptions withAugmentation(Augmentation a) {
        return new PipelineOptions(batchSize, a, decodeCache, prefetch);
    }

    public PipelineOptions withDecodeCache(boolean on) {
        return new PipelineOptions(batchSize, augmentation, on, prefetch);
    }

    public PipelineOptions withBatchSize(int n) {
        return new PipelineOptions(n, augmentation, decodeCache, prefetch);
    }
}

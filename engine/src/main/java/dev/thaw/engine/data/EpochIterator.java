package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What the pipeline's iterators share: a fixed input shape, class count and batch size, normalization already
 * applied inside, and {@link #reset()} starting the next (reshuffled) epoch.
 */
abstract class EpochIterator implements DataSetIterator {

    protected final InputShape shape;
    protected final int numClasses;
    protected final int batchSize;
    private int[] sizes = new int[0];
    private int batch;

    EpochIterator(InputShape shape, int numClasses, int batchSize) {
        this.shape = shape;
        this.numClasses = numClasses;
        this.batchSize = batchSize;
    }

    /**
     * Called by {@link #reset()}: an epoch of {@code count} examples starts. A training epoch ({@code even}) is cut
     * into batches of equal size ({@link EpochOrder#batchSizes}); a held-out split into plain batches.
     */
    protected void startEpoch(int count, boolean even) {
        sizes = even ? EpochOrder.batchSizes(count, batchSize) : null;
        batch = 0;
    }

    @Override
    public DataSet next() {
        return next(sizes == null ? batchSize : sizes[batch++]);
    }

    /**
     * The next {@code num} examples. Running out of memory here is reported as an exception that carries the error:
     * on the pipeline's prefetch thread an {@code Error} escapes DL4J's {@code AsyncDataSetIterator}, which then
     * never hands the trainer another batch nor an end, and the run hangs (found with a 200 MB memory limit).
     */
    @Override
    public final DataSet next(int num) {
        try {
            return batchOf(num);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("out of memory making a batch of " + num + " images at " + shape, e);
        }
    }

    /** Makes the next batch of at most {@code num} examples. */
    protected abstract DataSet batchOf(int num);

    @Override
    public int inputColumns() {
        return DecodedImages.imageSize(shape);
    }

    @Override
    public int totalOutcomes() {
        return numClasses;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    /** The backbone's normalization is applied inside; a second preprocessor would apply it twice. */
    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("batches are already normalized for the backbone");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}

package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minibatches over decoded images: shuffled per epoch from the seed, augmented if asked, normalized for the
 * backbone. Each {@link #reset()} starts the next epoch.
 *
 * <p>The images come from a supplier called once per epoch: with the decode cache it returns the same decoded
 * array every time (no decoding after the first epoch); without it, it decodes again.
 */
final class ImageBatches implements DataSetIterator {

    private final Supplier<DecodedImages> source;
    private final int numClasses;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();

    private DecodedImages images;
    private int[] order;
    private int cursor;
    private int epoch = -1;
    private DataSetPreProcessor extraPreProcessor;

    ImageBatches(Supplier<DecodedImages> source, int numClasses, int batchSize, boolean shuffle, long seed,
                 Augmentation augmentation, Normalization normalization) {
        this.source = source;
        this.numClasses = numClasses;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.augmentation = augmentation;
        this.normalization = normalization;
        reset();
    }

    @Override
    public void reset() {
        epoch++;
        images = source.get();
        order = new int[images.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random r = new Random(seed * 7_777_777L + epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        int n = Math.min(num, order.length - cursor);
        InputShape shape = images.shape();
        int size = images.imageSize();
        float[] features = new float[n * size];
        float[] labels = new float[n * numClasses];
        byte[] scratch = augmentation.isNone() ? null : new byte[size];
        for (int b = 0; b < n; b++) {
            int position = cursor + b;
            int idx = order[position];
            byte[] from = images.pixels();
            int offset = idx * size;
            if (scratch != null) {
                System.arraycopy(from, offset, scratch, 0, size);
                augmentation.apply(scratch, 0, shape, Augmentation.randomFor(seed, epoch, position), converter);
                from = scratch;
                offset = 0;
            }
            for (int k = 0; k < size; k++) {
                features[b * size + k] = from[offset + k] & 0xFF;
            }
            labels[b * numClasses + images.labels()[idx]] = 1f;
        }
        cursor += n;
        INDArray x = Nd4j.create(features, new long[] {n, shape.channels(), shape.height(), shape.width()}, 'c');
        INDArray y = Nd4j.create(labels, new long[] {n, numClasses}, 'c');
        normalization.apply(x);
        DataSet ds = new DataSet(x, y);
        if (extraPreProcessor != null) {
            extraPreProcessor.preProcess(ds);
        }
        return ds;
    }

    /** The epoch the iterator is in, counting from 0. */
    int epoch() {
        return epoch;
    }

    @Override
    public int inputColumns() {
        return images.imageSize();
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

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.extraPreProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return extraPreProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}

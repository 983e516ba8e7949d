package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.util.function.Supplier;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minibatches over decoded images: shuffled per epoch from the seed, augmented if asked, normalized for the
 * backbone. Each {@link #reset()} starts the next epoch.
 *
 * <p>The images come from a supplier called once per epoch: with the decode cache it returns the same decoded
 * array every time (no decoding after the first epoch); without it, it decodes again.
 */
final class ImageBatches extends EpochIterator {

    private final Supplier<DecodedImages> source;
    private final boolean shuffle;
    private final long seed;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();

    private DecodedImages images;
    private int[] order;
    private int cursor;
    private int epoch = -1;

    ImageBatches(Supplier<DecodedImages> source, InputShape shape, int numClasses, int batchSize, boolean shuffle,
                 long seed, Augmentation augmentation, Normalization normalization) {
        super(shape, numClasses, batchSize);
        this.source = source;
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
        order = shuffle ? EpochOrder.shuffled(images.count(), seed, epoch) : identity(images.count());
        cursor = 0;
        startEpoch(order.length, shuffle);
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    protected DataSet batchOf(int num) {
        int n = Math.min(num, order.length - cursor);
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
        return new DataSet(x, y);
    }
}

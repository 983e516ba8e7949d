package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.image.recordreader.ImageRecordReader;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The plain DataVec path: every epoch an {@link ImageRecordReader} decodes the files again, in a fresh shuffled
 * order, through a {@link RecordReaderDataSetIterator}. Used when decoded images would not fit the memory budget
 * or the decode cache is switched off; the decode benchmark compares the two.
 */
final class FolderStream extends EpochIterator {

    private final List<Item> items;
    private final boolean shuffle;
    private final long seed;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private final ItemLabels labels;
    private int epoch = -1;
    private RecordReaderDataSetIterator current;

    FolderStream(List<Item> items, InputShape shape, int numClasses, int batchSize, boolean shuffle, long seed,
                 Augmentation augmentation, Normalization normalization) {
        super(shape, numClasses, batchSize);
        this.items = List.copyOf(items);
        this.shuffle = shuffle;
        this.seed = seed;
        this.augmentation = augmentation;
        this.normalization = normalization;
        this.labels = new ItemLabels(items);
        reset();
    }

    @Override
    public void reset() {
        epoch++;
        int[] order = shuffle ? EpochOrder.shuffled(items.size(), seed, epoch) : null;
        List<URI> uris = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            uris.add(new File(items.get(order == null ? i : order[i]).id()).toURI());
        }
        ImageRecordReader reader = new FolderRecordReader(shape.height(), shape.width(), shape.channels(), labels,
                augmentation.isNone() ? null : augmentation.asImageTransform(seed, epoch));
        try {
            reader.initialize(new CollectionInputSplit(uris));
        } catch (IOException e) {
            throw new DataException("cannot open images for reading: " + e.getMessage(), e);
        }
        current = new RecordReaderDataSetIterator(reader, batchSize, 1, numClasses);
        current.setPreProcessor(normalization);
        startEpoch(items.size(), shuffle);
    }

    @Override
    public boolean hasNext() {
        return current.hasNext();
    }

    @Override
    protected DataSet batchOf(int num) {
        return current.next(num);
    }
}

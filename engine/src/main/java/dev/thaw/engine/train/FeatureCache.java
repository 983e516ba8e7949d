package dev.thaw.engine.train;

import dev.thaw.engine.data.CacheDirectory;
import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.EpochOrder;
import dev.thaw.engine.data.Sha256;
import dev.thaw.engine.data.Split;
import dev.thaw.zoo.AtomicFile;
import dev.thaw.zoo.FreezePoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activations of a frozen prefix, computed once and reused.
 *
 * <p>With everything up to a freeze point frozen and no augmentation, every epoch would push the same images
 * through the same frozen layers. Instead the prefix runs once ({@link TransferLearningHelper#featurize}) and the
 * trainable rest learns from the stored activations. Entries live on disk under a key of everything that
 * determines them ({@link Key}): a second run, or another learning rate, reuses them; a change to any part is a
 * different key, never a stale hit.
 */
public final class FeatureCache {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);

    /**
     * What the features depend on.
     *
     * @param backbone      catalog name
     * @param weights       fingerprint of the starting weights (the frozen part never changes from them)
     * @param freezeVertex  vertex the features are taken at
     * @param input         input shape
     * @param normalization pixel normalization applied before the network
     * @param data          fingerprint of the exact images, their order and labels
     */
    public record Key(String backbone, String weights, String freezeVertex, String input, String normalization,
                      String data) {

        /** This key for features at {@code vertex} of one split of {@code splits}. */
        public Key at(String vertex, DataSplits splits, Split split) {
            return new Key(backbone, weights, vertex, input, normalization, splits.fingerprint() + "/" + split);
        }

        String fileName() {
            return PREFIX + backbone + "-" + freezeVertex.replaceAll("[^A-Za-z0-9_-]", "_")
                    + "-" + Sha256.hex(toString(), 20) + ".bin";
        }
    }

    /**
     * Bumped whenever entries written before were wrong, so that they are never read again: v2 because v1 files of
     * splits with many batches hold labels that the prefetching pipeline had overwritten.
     */
    private static final String FORMAT = "v2";
    /** Entry names start with this (then the backbone, the vertex and a hash of the key). */
    public static final String PREFIX = "features-" + FORMAT + "-";

    private final Path directory;
    private final CacheDirectory disk;
    private final AtomicInteger computed = new AtomicInteger();
    private final AtomicInteger hits = new AtomicInteger();

    /** @param directory where feature files are kept; null keeps nothing between calls */
    public FeatureCache(Path directory) {
        this.directory = directory;
        this.disk = directory == null ? null : disk(directory);
    }

    /** The on-disk cache in {@code directory}, for listing and pruning ({@code thaw cache}). */
    public static CacheDirectory disk(Path directory) {
        return new CacheDirectory(directory, PREFIX, CacheDirectory.configuredMaxBytes());
    }

    /**
     * Featurized minibatches of {@code data} under {@code key}: read from disk when present, otherwise computed
     * through {@code helper}'s frozen part and stored. The data is opened only on a miss: a prefetching pipeline
     * starts its thread when opened, and one opened but never read kept that thread (and the batches it held)
     * alive for good, one per sweep candidate (SoakBenchmark).
     */
    public List<DataSet> get(Key key, TransferLearningHelper helper, Supplier<DataSetIterator> opened) {
        return List.of(computeOnce(key, () -> compute(key.freezeVertex(), helper, opened.get())));
    }

    /**
     * The entry under {@code key}: read when present, otherwise computed by {@code compute} and stored. One
     * computation per entry however many threads and processes ask at once (a sweep's candidates on a cluster):
     * the first computes, the others wait and read its file.
     */
    public DataSet computeOnce(Key key, Supplier<DataSet> compute) {
        if (directory == null) {
            computed.incrementAndGet();
            return compute.get();
        }
        Path file = directory.resolve(key.fileName());
        Optional<DataSet> stored = read(file);
        if (stored.isPresent()) {
            return stored.get();
        }
        try (EntryLock ignored = EntryLock.take(file)) {
            // a candidate that shares this freeze point may have computed it while this one waited: read it
            stored = read(file);
            if (stored.isPresent()) {
                return stored.get();
            }
            DataSet all = compute.get();
            computed.incrementAndGet();
            save(all, file);
            disk.written(file);
            return all;
        }
    }

    /** Whether the entry under {@code key} is stored (without reading it). */
    public boolean has(Key key) {
        return directory != null && Files.isRegularFile(directory.resolve(key.fileName()));
    }

    /** Where entries are kept (null: nowhere). */
    public Path directory() {
        return directory;
    }

    /** The entry in {@code file}, if it is there and readable (a hit). */
    private Optional<DataSet> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            DataSet all = new DataSet();
            all.load(file.toFile());
            hits.incrementAndGet();
            disk.used(file);
            LOG.info("feature cache hit: {} ({} examples)", file.getFileName(), all.numExamples());
            return Optional.of(all);
        } catch (RuntimeException e) {
            LOG.warn("feature cache entry {} is unreadable ({}); computing it again", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Runs the frozen part of {@code helper}'s graph over every batch of {@code data}, taken at {@code vertex} (for
     * the log): one featurization, cached or not.
     */
    public static DataSet compute(String vertex, TransferLearningHelper helper, DataSetIterator data) {
        long start = System.nanoTime();
        List<DataSet> batches = new ArrayList<>();
        while (data.hasNext()) {
            // a stop request ends it between batches: this split's features are lost, those cached before are not
            StopSignal.requested().ifPresent(signal -> {
                throw new TrainingStoppedException(signal, 0, "featurizing stopped by " + signal + " after "
                        + batches.size() + " batches of " + vertex + "; splits featurized before it "
                        + "are cached, run the command again to finish");
            });
            DataSet f = helper.featurize(data.next());
            // The pipeline prefetches into a cyclic workspace: the batch's arrays (the labels are passed through
            // as they are) are overwritten a few batches later, so keep copies.
            batches.add(new DataSet(f.getFeatures().dup(), f.getLabels().dup()));
        }
        DataSet all = DataSet.merge(batches);
        LOG.info("featurized {} examples at {} in {} ms", all.numExamples(), vertex,
                (System.nanoTime() - start) / 1_000_000);
        return all;
    }

    /**
     * Features of one split at a freeze point of an unfrozen graph, from the cache or computed now: what
     * {@code thaw featurize} does ahead of training.
     */
    public DataSet featurize(ComputationGraph master, FreezePoint point, Key base, DataPipeline pipeline, Split split) {
        ComputationGraph frozen = new TransferLearning.GraphBuilder(master).setFeatureExtractor(point.vertex()).build();
        Key key = base.at(point.vertex(), pipeline.splits(), split);
        return get(key, new TransferLearningHelper(frozen), () -> pipeline.evaluation(split)).get(0);
    }

    /** Times the frozen forward pass actually ran (misses). */
    public int computed() {
        return computed.get();
    }

    public int hits() {
        return hits.get();
    }

    private static void save(DataSet all, Path file) {
        try {
            AtomicFile.write(file, tmp -> all.save(tmp.toFile()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write feature cache {} ({}); continuing without it", file, e.getMessage());
        }
    }

    /**
     * Splits one featurized array into shuffled minibatches for an epoch, reproducibly from the seed, cut as the
     * image pipeline cuts a training epoch ({@link EpochOrder#batchSizes}).
     */
    static List<DataSet> minibatches(DataSet all, int batchSize, long seed, int epoch) {
        int n = all.numExamples();
        int[] order = EpochOrder.shuffled(n, seed, epoch);
        long[] shape = all.getFeatures().shape();
        INDArray flat = all.getFeatures().reshape('c', n, -1);
        List<DataSet> out = new ArrayList<>();
        int start = 0;
        for (int size : EpochOrder.batchSizes(n, batchSize)) {
            int end = start + size;
            int[] idx = java.util.Arrays.copyOfRange(order, start, end);
            long[] batchShape = shape.clone();
            batchShape[0] = idx.length;
            out.add(new DataSet(Nd4j.pullRows(flat, 1, idx).reshape('c', batchShape),
                    Nd4j.pullRows(all.getLabels(), 1, idx)));
            start = end;
        }
        return out;
    }
}

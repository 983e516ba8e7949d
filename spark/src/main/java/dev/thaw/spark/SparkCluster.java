package dev.thaw.spark;

import dev.thaw.engine.data.Split;
import dev.thaw.engine.run.Cluster;
import dev.thaw.engine.run.Featurization;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.train.EpochFitter;
import dev.thaw.engine.train.FeatureCache;
import dev.thaw.tuning.FolderTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.nd4j.linalg.dataset.DataSet;

/** {@code featurize --spark} and {@code train --spark}: Thaw's {@link Cluster} on Spark. */
final class SparkCluster implements Cluster {

    /** Slices per task slot: enough that a slow executor does not hold the split up, few enough to load weights. */
    private static final int SLICES_PER_SLOT = 2;

    private final SparkConnection spark;

    SparkCluster(SparkConnection spark) {
        this.spark = spark;
    }

    @Override
    public EpochFitter fitter() {
        return new SparkEpochFitter(spark.context(), spark.slots());
    }

    @Override
    public DataSet featurize(Featurization job, FeatureCache cache, Split split, PrintWriter out) {
        return cache.computeOnce(job.key(split), () -> featurizeOnSpark(job, cache, split, out));
    }

    private DataSet featurizeOnSpark(Featurization job, FeatureCache cache, Split split, PrintWriter out) {
        long start = System.nanoTime();
        int images = job.size(split);
        int batch = job.batch();
        int batches = (images + batch - 1) / batch;
        int slices = Math.min(batches, spark.slots() * SLICES_PER_SLOT);
        // beside the cache's folder, not in it: listing and pruning the cache never see a half-written slice
        Path features = cache.directory() != null ? cache.directory() : FineTune.cacheDir().resolve("features");
        Path parts = features.resolveSibling(features.getFileName() + ".parts").resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(parts);
            String cacheDir = FineTune.cacheDir().toAbsolutePath().toString();
            List<String> tasks = new ArrayList<>();
            for (int i = 0; i < slices; i++) {
                // slices cut at whole batches, so each forward pass sees the batch a local featurization would
                int from = Math.min(images, (int) ((long) batches * i / slices) * batch);
                int to = Math.min(images, (int) ((long) batches * (i + 1) / slices) * batch);
                tasks.add(Wire.write(new FeaturizeSlice(job.request(), cacheDir, split, from, to,
                        parts.resolve(String.format("part-%05d.bin", i)).toString())));
            }
            List<String> written = spark.context().parallelize(tasks, slices).map(new FeaturizeSlice.OnExecutor())
                    .collect();
            List<DataSet> pieces = new ArrayList<>();
            for (String file : written) {
                DataSet piece = new DataSet();
                piece.load(Path.of(file).toFile());
                pieces.add(piece);
            }
            out.printf(Locale.ROOT, "%-5s featurized on Spark: %d images in %d slices, %.1f s%n", split.folderName(),
                    images, slices, (System.nanoTime() - start) / 1e9);
            out.flush();
            return DataSet.merge(pieces);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + parts + ": " + e.getMessage(), e);
        } finally {
            try {
                FolderTree.delete(parts);
            } catch (IOException e) {
                out.println("warning: cannot remove " + parts + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        spark.close();
    }
}

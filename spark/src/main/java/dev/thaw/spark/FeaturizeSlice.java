package dev.thaw.spark;

import dev.thaw.engine.data.Split;
import dev.thaw.engine.run.Featurization;
import dev.thaw.zoo.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.api.java.function.Function;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One slice of a split featurized on an executor: images {@code from} to {@code to}, written to {@code part} on
 * shared storage (features are too big to collect through the driver's memory as task results).
 *
 * @param request  what to featurize (the executor loads the data's index and the weights itself)
 * @param cacheDir the driver's {@code thaw.cache.dir} (decoded images are cached there too)
 * @param part     file to write the slice's features to
 */
record FeaturizeSlice(Featurization.Request request, String cacheDir, Split split, int from, int to, String part) {

    /** The executor's side: computes and writes the slice, returns the file. */
    static final class OnExecutor implements Function<String, String> {

        private static final long serialVersionUID = 1L;

        @Override
        public String call(String json) throws IOException {
            FeaturizeSlice slice = Wire.read(json, FeaturizeSlice.class, "featurize slice");
            SharedPaths.requireHere(Path.of(slice.cacheDir()));
            System.setProperty("thaw.cache.dir", slice.cacheDir());
            DataSet features = Featurization.prepare(slice.request()).slice(slice.split(), slice.from(), slice.to());
            AtomicFile.write(Path.of(slice.part()), tmp -> features.save(tmp.toFile()));
            return slice.part();
        }
    }
}

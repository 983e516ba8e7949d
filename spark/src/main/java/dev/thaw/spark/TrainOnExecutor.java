package dev.thaw.spark;

import dev.thaw.tuning.CandidateTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.function.Function;

/**
 * What an executor does with a shipped candidate: the same training a local sweep does
 * ({@link CandidateTraining#train}), in the candidate's run folder on shared storage, and its record back to the
 * driver as JSON.
 */
final class TrainOnExecutor implements Function<String, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String call(String json) {
        ShippedTask shipped = Wire.read(json, ShippedTask.class, "task");
        SharedPaths.requireHere(Path.of(shipped.task().runDir()).getParent().getParent(),
                Path.of(shipped.cacheDir()));
        // the executor's JVM knows nothing of the driver's settings: candidates must share the driver's cache
        System.setProperty("thaw.cache.dir", shipped.cacheDir());
        return Wire.write(CandidateTraining.train(shipped.task()));
    }
}

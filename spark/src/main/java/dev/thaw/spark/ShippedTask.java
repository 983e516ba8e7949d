package dev.thaw.spark;

import dev.thaw.engine.run.TrainConfig;
import dev.thaw.tuning.CandidateTask;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A candidate as it travels to an executor: the task, with the paths of its configuration made absolute (an
 * executor runs in a working folder of its own), and the driver's cache folder (a system property there, which
 * does not travel). It goes out, and its record comes back, as JSON ({@link Wire}).
 *
 * @param task     the candidate
 * @param cacheDir the driver's {@code thaw.cache.dir}: the feature cache candidates share
 */
record ShippedTask(CandidateTask task, String cacheDir) {

    static ShippedTask of(CandidateTask task, String cacheDir) {
        return new ShippedTask(new CandidateTask(task.index(), task.rung(), absolute(task.config()), task.runDir()),
                cacheDir);
    }

    /** {@code c} with its data and weights paths absolute, as an executor must read them. */
    static TrainConfig absolute(TrainConfig c) {
        return c.toBuilder().data(absolute(c.data())).weights(weights(c.weights())).build();
    }

    /** A path that exists here, made absolute; anything else (a built-in dataset's name) as it is. */
    private static String absolute(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        Path p = Path.of(value);
        return Files.exists(p) ? p.toAbsolutePath().toString() : value;
    }

    /** {@code thaw:PATH} or a weights file, absolute; other sources ({@code random}, {@code imagenet}) as they are. */
    private static String weights(String value) {
        if (value != null && value.startsWith("thaw:")) {
            return "thaw:" + absolute(value.substring("thaw:".length()));
        }
        return absolute(value);
    }
}

package dev.thaw.engine.run;

import dev.thaw.engine.data.Split;
import dev.thaw.engine.train.EpochFitter;
import dev.thaw.engine.train.FeatureCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A compute cluster that featurizes and trains for this process: {@code featurize --spark}, {@code train --spark}.
 * Found through {@code META-INF/services}, so that a local user's classpath holds no cluster code: Thaw's Spark jar
 * (module {@code spark}) provides the one implementation.
 */
public interface Cluster extends AutoCloseable {

    /** The one line a {@code --spark} option gives when the Spark jar is not on the classpath. */
    String NO_SPARK_JAR = "--spark needs Thaw's Spark jar, which this classpath lacks: build it with 'mvn -Pspark-jar "
            + "package -DskipTests -pl spark -am' and run it with spark-submit (README \"Running on a cluster\")";

    /** Connects to a cluster; implementations register under {@code META-INF/services}. */
    interface Connector {
        /**
         * @param shared folders every executor must see at the same path (the cache, the data, a sweep folder)
         */
        Cluster connect(String master, List<Path> shared, PrintWriter out);
    }

    /** Epochs trained data-parallel on the cluster. */
    EpochFitter fitter();

    /**
     * {@code split}'s features, computed slice by slice on the cluster into {@code cache} under the key local
     * featurization and training use (or read from it when present).
     */
    DataSet featurize(Featurization job, FeatureCache cache, Split split, PrintWriter out);

    @Override
    void close();

    /**
     * Connects to {@code master}, having the cache folder (created if needed) and {@code data} (when it is a path
     * here) checked on the executors.
     */
    static Cluster connect(String master, String data, PrintWriter out) {
        Connector connector = ServiceLoader.load(Connector.class).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(NO_SPARK_JAR));
        return connector.connect(master, sharedFolders(data), out);
    }

    /**
     * What every executor must see at the same path as this process, absolute: {@code folders} (a sweep folder,
     * say) and the cache folder, both created if needed, and {@code data} when it is a path here (not a built-in
     * dataset's name).
     */
    static List<Path> sharedFolders(String data, Path... folders) {
        List<Path> shared = new ArrayList<>();
        for (Path folder : Stream.concat(Stream.of(folders), Stream.of(FineTune.cacheDir())).toList()) {
            try {
                shared.add(Files.createDirectories(folder.toAbsolutePath()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
            }
        }
        if (data != null && Files.exists(Path.of(data))) {
            shared.add(Path.of(data).toAbsolutePath());
        }
        return shared;
    }
}

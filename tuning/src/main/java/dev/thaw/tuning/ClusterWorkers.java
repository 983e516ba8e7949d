package dev.thaw.tuning;

import dev.thaw.engine.run.Cluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Candidates trained on a cluster: {@code sweep --spark MASTER}. Found through {@code META-INF/services}, so that a
 * local user's classpath holds no cluster code: Thaw's Spark jar (module {@code spark}) provides the one
 * implementation.
 */
public interface ClusterWorkers {

    /**
     * A worker whose candidates run on the cluster at {@code master}.
     *
     * @param shared folders every executor must see at the same path (the sweep folder, the cache, the data)
     */
    CandidateWorker connect(String master, List<Path> shared, PrintWriter out);

    /** The cluster support on the classpath, or a one-line error saying how to get it. */
    static ClusterWorkers find() {
        return ServiceLoader.load(ClusterWorkers.class).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(Cluster.NO_SPARK_JAR));
    }
}

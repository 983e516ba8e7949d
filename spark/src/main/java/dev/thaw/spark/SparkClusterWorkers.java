package dev.thaw.spark;

import dev.thaw.engine.run.FineTune;
import dev.thaw.tuning.CandidateWorker;
import dev.thaw.tuning.ClusterWorkers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code sweep --spark}: Thaw's cluster support, found by the sweep command through {@code META-INF/services}. */
public final class SparkClusterWorkers implements ClusterWorkers {

    @Override
    public CandidateWorker connect(String master, List<Path> shared, PrintWriter out) {
        return new SparkCandidateWorker(SparkConnection.openChecked(master, shared, out),
                FineTune.cacheDir().toAbsolutePath().toString());
    }
}

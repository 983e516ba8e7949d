package dev.thaw.spark;

import dev.thaw.engine.run.Cluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code featurize --spark}, {@code train --spark}: found by {@code Cluster.connect} through META-INF/services. */
public final class SparkConnector implements Cluster.Connector {

    @Override
    public Cluster connect(String master, List<Path> shared, PrintWriter out) {
        return new SparkCluster(SparkConnection.openChecked(master, shared, out));
    }
}

package dev.thaw.spark;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Folders the driver and every executor must see at the same path: the sweep folder (candidates' runs and logs),
 * the cache (shared featurizations) and the data. Checked on the executors before any work is handed out, so that
 * a folder that is only on the driver's disk is one clear error, not every candidate failing the same way.
 */
final class SharedPaths {

    private SharedPaths() {
    }

    /**
     * Runs one small task per slot that looks for {@code paths} on its executor.
     *
     * @throws IllegalArgumentException naming the first missing folder, the executor's host and the fix
     */
    static void check(JavaSparkContext sc, int slots, List<Path> paths) {
        List<String> wanted = paths.stream().map(p -> p.toAbsolutePath().toString()).toList();
        List<String> missing = sc.parallelize(IntStream.range(0, slots).boxed().toList(), slots)
                .flatMap(i -> missingHere(wanted).iterator()).distinct().collect();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.get(0) + (missing.size() > 1 ? " (and " + (missing.size() - 1)
                    + " more)" : "") + ": put the data, the sweep folder and the cache (-Dthaw.cache.dir) on storage "
                    + "every executor mounts at the same path (README \"Running on a cluster\")");
        }
    }

    /** On an executor: fails its task when a folder is missing (a later check than {@link #check}). */
    static void requireHere(Path... paths) {
        List<String> missing = missingHere(java.util.Arrays.stream(paths).map(Path::toString).toList());
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.get(0) + ": the sweep folder and the cache must be on storage "
                    + "every executor mounts at the same path");
        }
    }

    private static List<String> missingHere(List<String> paths) {
        List<String> missing = new ArrayList<>();
        for (String p : paths) {
            if (!Files.exists(Path.of(p))) {
                missing.add(p + " is not there on executor host " + host());
            }
        }
        return missing;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "(unknown)";
        }
    }
}

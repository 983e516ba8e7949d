package dev.thaw.tuning;

import dev.thaw.engine.run.FolderLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deleting and copying whole run folders: restarting a candidate, exporting the best run, clearing a comparison's
 * per-run leftovers.
 */
public final class FolderTree {

    private FolderTree() {
    }

    /** Deletes {@code dir} and everything below it; nothing happens if it does not exist. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Copies {@code from} to {@code to}, leaving out the files inside folders named {@code skipFolder} and the
     * run's {@link FolderLock#FILE} (the copy is nobody's to lock).
     */
    public static void copy(Path from, Path to, String skipFolder) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getParent().getFileName().toString().equals(skipFolder)
                        && !p.getFileName().toString().equals(FolderLock.FILE)) {
                    Files.copy(p, target);
                }
            }
        }
    }
}

package dev.thaw.engine.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.storage.sqlite.J7FileStatsStorage;

/**
 * A run's DL4J training statistics: {@code stats.db} in the run folder, under one session ({@link #sessionOf}).
 *
 * <p>It is DL4J's SQLite store ({@link J7FileStatsStorage}), not its default MapDB {@code FileStatsStorage}: MapDB
 * locks its file, so a second process (a {@code thaw ui} following a run that still trains) cannot open it, while
 * SQLite lets one process write and others read the same file.
 */
public final class StatsFile {

    public static final String NAME = "stats.db";

    private StatsFile() {
    }

    /** The stats file of the run in {@code runDir}. */
    public static Path of(Path runDir) {
        return runDir.resolve(NAME);
    }

    /**
     * The session id a new recording of the run takes: the run folder's name, and for a sweep's candidate
     * ({@code SWEEP/candidates/c000}) the sweep's name with it ({@code SWEEP-c000}). DL4J's train pages keep one
     * session per id, and every sweep has a {@code c000}: two sweeps in one UI would show one of them. A run that
     * recorded before keeps the id its file holds ({@link #recordedSession}).
     */
    public static String sessionOf(Path runDir) {
        Path dir = runDir.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        Path sweep = parent == null ? null : parent.getParent();
        boolean candidate = sweep != null && sweep.getFileName() != null
                && parent.getFileName().toString().equals("candidates");
        return candidate ? sweep.getFileName() + "-" + dir.getFileName() : dir.getFileName().toString();
    }

    /** The session {@code stats} already holds (the first, should there be more), else {@link #sessionOf}. */
    static String recordedSession(StatsStorage stats, Path runDir) {
        List<String> sessions = stats.listSessionIDs();
        return sessions.isEmpty() ? sessionOf(runDir) : sessions.get(0);
    }

    /** Opens (creating) the run's stats file for the training process to write. */
    static J7FileStatsStorage forWriting(Path runDir) {
        return open(of(runDir));
    }

    /**
     * Opens a run's stats for viewing, following new records another process writes. A missing or damaged file
     * is a {@link UiException} that says why.
     */
    public static FollowedStats follow(Path runDir) {
        Path file = of(runDir);
        if (!Files.isRegularFile(file)) {
            throw new UiException(runDir + " has no " + NAME + ": the run was trained with --no-stats or by a Thaw "
                    + "that did not record stats yet; train it again to watch it");
        }
        try {
            return createdOnce(() -> new FollowedStats(file.toFile())); // reads its sessions: a damaged file fails here
        } catch (RuntimeException e) {
            throw new UiException(file + " is not a readable stats file (" + rootMessage(e) + "); delete it to "
                    + "show the run without its training statistics", e);
        }
    }

    /**
     * One at a time per JVM: sqlite-jdbc 3.15 (DL4J's) loaded its native library on first use without a lock, and
     * two runs opening their stats files at once in one JVM (sweep candidates on Spark's local[2]) crashed the JVM
     * in that library (SIGSEGV at address 0).
     */
    private static synchronized J7FileStatsStorage open(Path file) {
        try {
            return createdOnce(() -> new J7FileStatsStorage(file.toFile()));
        } catch (RuntimeException | LinkageError e) { // LinkageError: sqlite-jdbc's native library failed to load
            throw new UiException("cannot open " + file + " (" + rootMessage(e) + "); delete it, or train with "
                    + "--no-stats", e);
        }
    }

    /**
     * Opens a store, again if another process created the file's tables at the same moment: DL4J's store checks for
     * its tables, then creates them without "if not exists", so a viewer ({@code thaw ui}) and the training run
     * opening a new file together fail one of them with "table ... already exists" (seen in CI). The second try sees
     * the tables.
     */
    private static <T> T createdOnce(Supplier<T> opening) {
        for (int attempt = 1; ; attempt++) {
            try {
                return opening.get();
            } catch (RuntimeException e) {
                if (attempt == 3 || !rootMessage(e).contains("already exists")) {
                    throw e;
                }
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).lines().findFirst().orElse(t.getClass().getSimpleName());
    }
}

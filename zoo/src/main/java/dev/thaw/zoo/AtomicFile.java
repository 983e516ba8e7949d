package dev.thaw.zoo;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file replaced whole or not at all. Every file Thaw writes that something reads back (models, checkpoints, run
 * JSON, cache entries) goes through here: written to a temporary sibling ({@code NAME…part}), then moved over the
 * target in one atomic rename, so a reader — another process sharing a cache, or a resume after a crash — sees the
 * old file or the new one, never half of one. A write that fails (a full disk above all) deletes its temporary file
 * at once, since a leftover would keep the disk full, and leaves the previous version in place.
 */
public final class AtomicFile {

    /** Writes the new content into the temporary file it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Replaces {@code target} with what {@code content} writes, creating its folder if needed.
     *
     * @throws IOException the write failed: the temporary file is gone and {@code target} is unchanged; on a full
     *                     disk the message names the folder, at least how much space the file needs and how much is
     *                     free
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = newPart(dir, target.getFileName().toString());
        try {
            content.writeTo(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            long written = sizeOf(tmp);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (isDiskFull(e)) {
                throw new IOException(diskFull(target, dir, written), e);
            }
            throw e;
        }
    }

    /**
     * An empty {@code NAME.RANDOM.part} beside the target, with a new file's usual permissions: not
     * {@code Files.createTempFile}, whose 0600 the rename would carry over to models and run files others read.
     */
    private static Path newPart(Path dir, String name) throws IOException {
        while (true) {
            Path part = dir.resolve(name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
            try {
                return Files.createFile(part);
            } catch (FileAlreadyExistsException taken) {
                // another writer's: draw again
            }
        }
    }

    /** Whether {@code e} (or what it wraps: ND4J and DL4J rethrow unchecked) is the OS saying the disk is full. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    /** The message names the folder, not the file: whoever wraps it names the file (checkpoint, model, …). */
    private static String diskFull(Path target, Path dir, long written) {
        // the previous version is the best guess of the new one's size; at least what was written before it failed
        long needed = Math.max(written, sizeOf(target));
        long free = -1;
        try {
            FileStore store = Files.getFileStore(dir);
            free = store.getUsableSpace();
        } catch (IOException ignored) {
            // the message can do without it
        }
        return String.format(Locale.ROOT, "No space left on device: the file needs at least %s (%s written before "
                        + "the disk filled, since removed%s) in %s: free some space there or write elsewhere",
                megabytes(needed), megabytes(written), free < 0 ? "" : "; " + megabytes(free) + " free now", dir);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}

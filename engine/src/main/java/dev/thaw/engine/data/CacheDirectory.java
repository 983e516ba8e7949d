package dev.thaw.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One kind of disk cache under {@code ~/.cache/thaw} (decoded images, frozen features): a folder of entry files with
 * a size cap. Entries are written atomically by their cache; a hit marks its entry used (its modification time), and
 * after every write the least recently used entries go until the folder fits its cap again, along with entries of
 * an older format (names without the current {@code prefix}) and {@code .part} files left by a crashed writer.
 * Another process may be using the same folder: deleting an entry it is reading is safe on Linux (its open file
 * stays readable), and a half-written entry is never visible under an entry's name.
 */
public final class CacheDirectory {

    /** Default cap per kind, in GB: {@code -Dthaw.cache.max-gb} changes it. */
    public static final double DEFAULT_MAX_GB = 10;
    /** A {@code .part} file this old belongs to no live writer. */
    private static final Duration STALE_PART = Duration.ofHours(6);

    /** One cached file. */
    public record Entry(Path file, long bytes, Instant lastUsed) {
        public String name() {
            return file.getFileName().toString();
        }
    }

    private final Path dir;
    private final String prefix;
    private final long maxBytes;

    /**
     * @param dir      the folder
     * @param prefix   what the current format's entry names start with
     * @param maxBytes the cap
     */
    public CacheDirectory(Path dir, String prefix, long maxBytes) {
        this.dir = dir;
        this.prefix = prefix;
        this.maxBytes = maxBytes;
    }

    /** The cap from {@code -Dthaw.cache.max-gb}, else {@link #DEFAULT_MAX_GB}. */
    public static long configuredMaxBytes() {
        String gb = System.getProperty("thaw.cache.max-gb");
        try {
            return (long) ((gb == null ? DEFAULT_MAX_GB : Double.parseDouble(gb)) * 1e9);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dthaw.cache.max-gb=" + gb + " is not a number of GB, e.g. 20");
        }
    }

    public Path path() {
        return dir;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Marks an entry just read as used, so that it is evicted last. */
    public void used(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // another process pruned it meanwhile: nothing to mark
        }
    }

    /**
     * After {@code entry} was written: removes leftovers and old-format entries and evicts the least recently used
     * others until the folder fits its cap.
     */
    public void written(Path entry) {
        prune(maxBytes, entry);
    }

    /** Current-format entries, least recently used first. */
    public List<Entry> entries() {
        return list().stream().filter(this::isEntry).sorted(Comparator.comparing(Entry::lastUsed)).toList();
    }

    /** A finished entry of the current format (not an older format's, not a write in progress). */
    private boolean isEntry(Entry e) {
        return e.name().startsWith(prefix) && !e.name().endsWith(".part");
    }

    /** Bytes in files that are not current-format entries: older formats, and writes in progress or abandoned. */
    public long otherBytes() {
        return list().stream().filter(e -> !isEntry(e)).mapToLong(Entry::bytes).sum();
    }

    /**
     * Removes entries of older formats and stale {@code .part} files, then evicts down to {@code cap}.
     *
     * @return bytes freed
     */
    public long prune(long cap) {
        return prune(cap, null);
    }

    private long prune(long cap, Path keep) {
        long freed = 0;
        Instant stale = Instant.now().minus(STALE_PART);
        for (Entry e : list()) {
            boolean leftover = e.name().endsWith(".part") && e.lastUsed().isBefore(stale);
            boolean oldFormat = !e.name().endsWith(".part") && !e.name().startsWith(prefix);
            if ((leftover || oldFormat) && delete(e.file())) {
                freed += e.bytes();
            }
        }
        List<Entry> entries = entries();
        long total = entries.stream().mapToLong(Entry::bytes).sum();
        for (Entry e : entries) { // least recently used first
            if (total <= cap) {
                break;
            }
            if (!e.file().equals(keep) && delete(e.file())) {
                total -= e.bytes();
                freed += e.bytes();
            }
        }
        return freed;
    }

    /** Removes every file of this cache. @return bytes freed */
    public long clear() {
        long freed = 0;
        for (Entry e : list()) {
            if (delete(e.file())) {
                freed += e.bytes();
            }
        }
        return freed;
    }

    /** Every file in the folder (any format, {@code .part} included). */
    List<Entry> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                try {
                    if (Files.isRegularFile(f)) {
                        found.add(new Entry(f, Files.size(f), Files.getLastModifiedTime(f).toInstant()));
                    }
                } catch (IOException e) {
                    // removed by another process while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list cache " + dir + ": " + e.getMessage(), e);
        }
        return found;
    }

    private static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }
}

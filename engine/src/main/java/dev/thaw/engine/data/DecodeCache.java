package dev.thaw.engine.data;

import dev.thaw.zoo.AtomicFile;
import dev.thaw.zoo.InputShape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoded images kept between epochs (in memory) and between runs (on disk, when given a directory), so that a
 * small dataset is decoded once rather than every epoch.
 *
 * <p>Entries are keyed by the dataset fingerprint (file paths, sizes, modification times), the exact item list and
 * the input shape: a changed file, another split or another size is a different key, never a stale hit. Memory is
 * bounded: entries beyond the budget are evicted oldest-first, and a request larger than the whole budget is not
 * cached at all ({@link #fits}); the pipeline then streams and decodes every epoch instead. On disk the entries
 * form a {@link CacheDirectory}: capped, least recently used out first.
 */
public final class DecodeCache {

    private static final Logger LOG = LoggerFactory.getLogger(DecodeCache.class);

    /** Entry names on disk: the format's version, then the key. */
    static final String PREFIX = "decoded-v1-";

    private final Path directory;
    private final CacheDirectory disk;
    private final long maxBytes;
    private final Map<String, DecodedImages> memory = new LinkedHashMap<>(16, 0.75f, true);
    private long bytesInMemory;
    private final AtomicInteger decodes = new AtomicInteger();
    private final AtomicInteger memoryHits = new AtomicInteger();
    private final AtomicInteger diskHits = new AtomicInteger();

    /**
     * @param directory where decoded arrays persist between runs, or null to keep them in memory only
     * @param maxBytes  memory budget for decoded pixels
     */
    public DecodeCache(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.disk = directory == null ? null : disk(directory);
    }

    /** The on-disk cache in {@code directory}, for listing and pruning ({@code thaw cache}). */
    public static CacheDirectory disk(Path directory) {
        return new CacheDirectory(directory, PREFIX, CacheDirectory.configuredMaxBytes());
    }

    /** Whether {@code count} images of {@code shape} fit the memory budget. */
    public boolean fits(int count, InputShape shape) {
        return (long) count * DecodedImages.imageSize(shape) <= maxBytes;
    }

    public synchronized DecodedImages get(Dataset dataset, List<Item> items, InputShape shape) {
        String key = key(dataset, items, shape);
        DecodedImages hit = memory.get(key);
        if (hit != null) {
            memoryHits.incrementAndGet();
            return hit;
        }
        DecodedImages images = directory == null ? null : readDisk(key);
        if (images != null) {
            diskHits.incrementAndGet();
        } else {
            long start = System.nanoTime();
            images = dataset.decoder().decode(items, shape);
            decodes.incrementAndGet();
            LOG.info("decoded {} images at {} in {} ms", items.size(), shape, (System.nanoTime() - start) / 1_000_000);
            if (directory != null) {
                writeDisk(key, images);
            }
        }
        remember(key, images);
        return images;
    }

    /** Times the decoder actually ran (a cache miss). */
    public int decodes() {
        return decodes.get();
    }

    public int memoryHits() {
        return memoryHits.get();
    }

    public int diskHits() {
        return diskHits.get();
    }

    private void remember(String key, DecodedImages images) {
        long size = images.pixels().length;
        if (size > maxBytes) {
            return;
        }
        var it = memory.entrySet().iterator();
        while (bytesInMemory + size > maxBytes && it.hasNext()) {
            bytesInMemory -= it.next().getValue().pixels().length;
            it.remove();
        }
        memory.put(key, images);
        bytesInMemory += size;
    }

    private DecodedImages readDisk(String key) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            DecodedImages images = DecodedImages.read(in);
            disk.used(file);
            return images;
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable decode cache entry {} ({}); decoding again", file, e.getMessage());
            return null;
        }
    }

    /** Atomically ({@link AtomicFile}): a crash never leaves a half-written entry, a full disk no partial one. */
    private void writeDisk(String key, DecodedImages images) {
        try {
            AtomicFile.write(file(key), tmp -> {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                        1 << 16))) {
                    images.write(out);
                }
            });
            disk.written(file(key));
        } catch (IOException e) {
            LOG.warn("cannot write decode cache to {} ({}); continuing without it", directory, e.getMessage());
        }
    }

    private Path file(String key) {
        return directory.resolve(PREFIX + key + ".bin");
    }

    static String key(Dataset dataset, List<Item> items, InputShape shape) {
        MessageDigest md = Sha256.digest();
        md.update((dataset.fingerprint() + "|" + shape + "\n").getBytes(StandardCharsets.UTF_8));
        for (Item i : items) {
            md.update((i.id() + "|" + i.label() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "decoded-" + Sha256.hex(md, 24);
    }
}

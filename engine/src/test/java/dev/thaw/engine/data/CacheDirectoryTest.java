package dev.thaw.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caches stay under their cap, least recently used out first, and shed old formats and leftovers. */
class CacheDirectoryTest {

    @TempDir
    Path dir;

    private Path entry(String name, int megabytes, Duration age) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, new byte[megabytes * 1_000_000]);
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(age)));
        return f;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteEvictsTheLeastRecentlyUsedUntilTheFolderFitsItsCap() throws IOException {
        CacheDirectory cache = new CacheDirectory(dir, "features-v2-", 5_000_000);
        entry("features-v2-a.bin", 2, Duration.ofHours(3));
        Path b = entry("features-v2-b.bin", 2, Duration.ofHours(2));
        entry("features-v2-c.bin", 2, Duration.ofHours(1));
        cache.used(b); // read just now: b is the most recently used of the three
        Path d = entry("features-v2-d.bin", 2, Duration.ZERO);
        cache.written(d);
        assertEquals(List.of("features-v2-b.bin", "features-v2-d.bin"), names(), "a and c were used least recently");

        Path huge = entry("features-v2-huge.bin", 7, Duration.ZERO);
        cache.written(huge);
        assertEquals(List.of("features-v2-huge.bin"), names(), "an entry above the cap alone is still kept");
    }

    @Test
    void pruningRemovesOldFormatsAndLeftoversButNotAWriteInProgress() throws IOException {
        CacheDirectory cache = new CacheDirectory(dir, "decoded-v1-", 100_000_000);
        entry("decoded-v1-new.bin", 1, Duration.ZERO);
        entry("0123abcd.bin", 1, Duration.ofDays(3)); // the format before decoded-v1-
        entry("decoded-v1-x.bin12345.part", 1, Duration.ofDays(1)); // a crashed writer's
        entry("decoded-v1-y.bin67890.part", 1, Duration.ofSeconds(5)); // another process writing now
        assertEquals(2_000_000, cache.prune(cache.maxBytes()));
        assertEquals(List.of("decoded-v1-new.bin", "decoded-v1-y.bin67890.part"), names());
        assertEquals(1, cache.entries().size());
    }
}

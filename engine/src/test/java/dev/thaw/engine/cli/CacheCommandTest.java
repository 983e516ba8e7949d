package dev.thaw.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code thaw cache}: sizes per kind and backbone, pruning to a cap, clearing. */
class CacheCommandTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearCacheDir() {
        System.clearProperty("thaw.cache.dir");
    }

    private void feature(Path features, String name, int megabytes, int hoursAgo) throws IOException {
        Path f = features.resolve(name);
        Files.write(f, new byte[megabytes * 1_000_000]);
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(3600L * hoursAgo)));
    }

    @Test
    void showsFeaturesPerBackbonePrunesToACapAndClears() throws IOException {
        System.setProperty("thaw.cache.dir", dir.toString());
        Path features = Files.createDirectories(dir.resolve("features"));
        feature(features, "features-v2-resnet50-tv-layer3-abc.bin", 3, 2);
        feature(features, "features-v2-resnet50-res4f_branch-abc.bin", 2, 1);
        feature(features, "features-v1-resnet50-res4f_branch-abc.bin", 1, 5); // an older format

        CliRun show = CliRun.of("cache");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("features         2     5.0 MB  resnet50 2.0 MB, resnet50-tv 3.0 MB"),
                show.out());
        assertTrue(show.out().contains("decoded          0     0.0 MB"), show.out());

        CliRun prune = CliRun.of("cache", "--prune", "--max-gb", "0.004");
        assertTrue(prune.out().contains("pruned features to 4.0 MB: 4.0 MB freed"), "the old format and the least "
                + "recently used entry: " + prune.out());
        assertTrue(prune.out().contains("features         1     2.0 MB  resnet50 2.0 MB"), prune.out());

        CliRun clear = CliRun.of("cache", "--clear");
        assertTrue(clear.out().contains("cleared features: 2.0 MB freed"), clear.out());
        assertEquals(0, features.toFile().list().length);
    }
}

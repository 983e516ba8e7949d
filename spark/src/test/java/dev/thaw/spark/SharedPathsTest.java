package dev.thaw.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPathsTest {

    @Test
    void aFolderTheExecutorsCannotSeeStopsTheCommandBeforeAnyWork() {
        StringWriter out = new StringWriter();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkConnection.openChecked(
                "local[2]", List.of(Path.of("/nonexistent/thaw-data")), new PrintWriter(out, true)));
        assertTrue(e.getMessage().startsWith("/nonexistent/thaw-data is not there on executor host "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": put the data, the sweep folder and the cache (-Dthaw.cache.dir) on "
                + "storage every executor mounts at the same path (README \"Running on a cluster\")"), e.getMessage());
        // the context was closed: the next one in this JVM starts
        SparkConnection.open("local[2]", new PrintWriter(out, true)).close();
    }

    @Test
    void aFolderAnExecutorCannotSeeIsOneLineNamingItAndTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SharedPaths.requireHere(Path.of("/nonexistent/thaw-sweep")));
        assertTrue(e.getMessage().startsWith("/nonexistent/thaw-sweep is not there on executor host "), e.getMessage());
        assertTrue(e.getMessage().endsWith("must be on storage every executor mounts at the same path"),
                e.getMessage());
    }
}

package dev.thaw.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPathsTest {

    @Test
    void aFolderAnExecutorCannotSeeIsOneLineNamingItAndTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SharedPaths.requireHere(Path.of("/nonexistent/thaw-sweep")));
        assertTrue(e.getMessage().startsWith("/nonexistent/thaw-sweep is not there on executor host "), e.getMessage());
        assertTrue(e.getMessage().endsWith("must be on storage every executor mounts at the same path"),
                e.getMessage());
    }
}

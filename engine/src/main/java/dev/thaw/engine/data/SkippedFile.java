package dev.thaw.engine.data;

import java.nio.file.Path;

/** A file the scan left out, and why. */
public record SkippedFile(Path file, String reason) {
    @Override
    public String toString() {
        return file + ": " + reason;
    }
}

package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write leaves the previous file and no partial one; a full disk is named with the space it needs. */
class AtomicFileTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The other process of {@link #anotherProcessRewritingAnEntryIsNeverSeenHalfWritten}: rewrites it 300 times. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        for (int version = 1; version <= 300; version++) {
            byte[] content = new byte[1 << 20];
            java.util.Arrays.fill(content, (byte) version);
            AtomicFile.write(target, tmp -> Files.write(tmp, content));
        }
    }

    @Test
    void anotherProcessRewritingAnEntryIsNeverSeenHalfWritten() throws Exception {
        Path target = dir.resolve("features-v2-shared.bin");
        AtomicFile.write(target, tmp -> Files.write(tmp, new byte[1 << 20]));
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AtomicFileTest.class.getName(), target.toString())
                .inheritIO().start();
        int reads = 0;
        java.util.Set<Byte> versions = new java.util.HashSet<>();
        while (writer.isAlive() || reads == 0) {
            byte[] read = Files.readAllBytes(target);
            assertEquals(1 << 20, read.length, "a whole entry");
            for (byte b : read) {
                assertEquals(read[0], b, "one version throughout, never a mix");
            }
            versions.add(read[0]);
            reads++;
        }
        assertEquals(0, writer.waitFor());
        assertEquals((byte) 300, Files.readAllBytes(target)[0]);
        assertTrue(versions.size() > 1, "saw the writer's versions change: " + versions.size() + " in " + reads);
        assertEquals(List.of("features-v2-shared.bin"), names());
    }

    @Test
    void aWriteReplacesTheFileWhole() throws IOException {
        Path target = dir.resolve("model.zip");
        AtomicFile.write(target, tmp -> Files.writeString(tmp, "first"));
        AtomicFile.write(target, tmp -> Files.writeString(tmp, "second"));
        assertEquals("second", Files.readString(target));
        assertEquals(List.of("model.zip"), names());
        Path plain = Files.createFile(dir.resolve("plain"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target),
                    "the permissions of any new file (a temporary file's 0600 would hide models from others)");
        }
    }

    @Test
    void aFullDiskRemovesThePartialFileKeepsThePreviousOneAndSaysWhatItNeeds() throws IOException {
        Path target = dir.resolve("last.zip");
        Files.write(target, new byte[5_000_000]);
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, tmp -> {
            Files.write(tmp, new byte[3_000_000]); // the disk fills 3 MB into a 5 MB checkpoint
            throw new IOException("No space left on device");
        }));
        assertEquals(List.of("last.zip"), names(), "no .part file left to keep the disk full");
        assertEquals(5_000_000, Files.size(target), "the last good checkpoint is kept");
        assertTrue(e.getMessage().startsWith("No space left on device: the file needs at least 5.0 MB (3.0 MB "
                + "written before the disk filled, since removed; "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" free now) in " + dir + ": free some space there or write elsewhere"),
                e.getMessage());
    }

    @Test
    void aFullDiskReportedUncheckedByTheWriterIsRecognizedToo() {
        UncheckedIOException wrapped = new UncheckedIOException(new IOException("write failed: No space left on device"));
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(dir.resolve("f.bin"), tmp -> {
            throw wrapped;
        }));
        assertSame(wrapped, e.getCause());
        assertTrue(AtomicFile.isDiskFull(e));
    }

    @Test
    void anyOtherFailureIsRethrownAsItIsAndLeavesNothing() throws IOException {
        IllegalStateException bug = new IllegalStateException("bad graph");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFile.write(dir.resolve("m.zip"),
                tmp -> {
                    Files.writeString(tmp, "half");
                    throw bug;
                })));
        assertEquals(List.of(), names());
    }
}

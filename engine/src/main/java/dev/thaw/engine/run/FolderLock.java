package dev.thaw.engine.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per run or sweep folder. Two processes training into one folder (resuming the same run twice, say)
 * would interleave checkpoints and log lines; the second is refused with a message instead. The lock is the
 * operating system's lock on {@code DIR/.lock}, which dies with its process: a crashed or killed run never leaves
 * its folder locked, so there is nothing to clean up by hand. Readers ({@code evaluate}, reports) do not lock.
 */
public final class FolderLock implements AutoCloseable {

    /** The lock file in a locked folder. */
    public static final String FILE = ".lock";

    /** Folders this process holds the lock of. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = key(dir);
        this.channel = channel;
        this.lock = lock;
        HELD_HERE.add(this.dir);
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    /**
     * Takes {@code dir}'s lock for this process.
     *
     * @param what what the folder holds, for the message ({@code run}, {@code sweep})
     * @throws IllegalStateException another process (or another training in this one) writes to {@code dir}
     */
    public static FolderLock acquire(Path dir, String what) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM already
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new IllegalStateException(dir + " is in use: another Thaw " + what + " is writing to it ("
                        + (holder.isEmpty() ? "unknown process" : holder) + "). Wait for it to finish or stop it; "
                        + "a stopped or crashed process releases the folder by itself.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now())
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new FolderLock(dir, channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the lock failed already; that is the error to report
            }
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a process (this one included) writes to {@code dir} now, without taking its lock: a viewer's check
     * (the sweep page marks such a candidate as running).
     */
    public static boolean held(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        if (HELD_HERE.contains(key(dir))) {
            // never probe a lock this process holds: closing any channel of the file would release it (POSIX)
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException | IOException e) {
            return false;
        }
    }

    /** Releases the folder (the lock file stays, unlocked: the next writer reuses it). */
    @Override
    public void close() {
        HELD_HERE.remove(dir);
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + FILE + ": " + e.getMessage(), e);
        }
    }
}

package dev.thaw.engine.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to compute one feature-cache entry. Candidates that share a freeze point may start together (a sweep
 * on Spark runs several at once, in other processes or in other threads of one): without this each would run the
 * same frozen forward pass. The first takes the lock and computes; the others wait and then read its file.
 *
 * <p>Two locks, because the operating system's file lock is per process (a second channel of the same JVM gets
 * an {@code OverlappingFileLockException}, and closing it would release the first): a lock per entry within the
 * JVM, then the file lock on {@code features.locks/ENTRY} across processes. Lock files stay (empty) in that folder
 * beside the cache's, so that cache listing and pruning never see them.
 */
final class EntryLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EntryLock.class);
    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private EntryLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** Blocks until no other thread or process holds {@code entry}'s lock, then holds it. */
    static EntryLock take(Path entry) {
        Path folder = entry.getParent();
        Path file = folder.resolveSibling(folder.getFileName() + ".locks").resolve(entry.getFileName());
        ReentrantLock local = IN_THIS_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
        if (!local.tryLock()) {
            LOG.info("waiting for {}: another candidate is computing it", entry.getFileName());
            local.lock();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                LOG.info("waiting for {}: another process is computing it", entry.getFileName());
                lock = channel.lock();
            }
            return new EntryLock(local, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            local.unlock();
            throw e instanceof IOException io ? new UncheckedIOException("cannot lock " + file + ": "
                    + io.getMessage(), io) : (RuntimeException) e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("cannot release feature-cache lock: {}", e.getMessage());
        } finally {
            closeQuietly(channel);
            local.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // released with the channel or the process; nothing left to do
        }
    }
}

package dev.thaw.engine.ui;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;

/**
 * Writes DL4J's stats records on a thread of its own, so that training neither waits for the file (SQLite syncs
 * each record to disk, and a viewer reading the file can hold it for a moment) nor fails because of it: the first
 * failure is reported in one line, and the run goes on without stats.
 */
final class BackgroundStatsWriter implements StatsStorageRouter, AutoCloseable {

    private final StatsStorage storage;
    private final PrintWriter out;
    private final ExecutorService writer;
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile long lastWriteNanos;

    BackgroundStatsWriter(StatsStorage storage, PrintWriter out) {
        this.storage = storage;
        this.out = out;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "thaw-stats-writer");
            t.setDaemon(true);
            return t;
        });
    }

    StatsStorage storage() {
        return storage;
    }

    /**
     * How long the last record took to write. The writing thread takes a core from training too (on 2 cores,
     * half of it), so recording's pace counts it.
     */
    long lastWriteNanos() {
        return lastWriteNanos;
    }

    @Override
    public void putStorageMetaData(StorageMetaData m) {
        write(() -> storage.putStorageMetaData(m));
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> m) {
        List<? extends StorageMetaData> copy = List.copyOf(m);
        write(() -> storage.putStorageMetaData(copy));
    }

    @Override
    public void putStaticInfo(Persistable p) {
        write(() -> storage.putStaticInfo(p));
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> p) {
        List<? extends Persistable> copy = List.copyOf(p);
        write(() -> storage.putStaticInfo(copy));
    }

    @Override
    public void putUpdate(Persistable p) {
        write(() -> storage.putUpdate(p));
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> p) {
        List<? extends Persistable> copy = List.copyOf(p);
        write(() -> storage.putUpdate(copy));
    }

    private void write(Runnable put) {
        if (failed.get()) {
            return;
        }
        writer.execute(() -> {
            if (failed.get()) {
                return;
            }
            try {
                long start = System.nanoTime();
                put.run();
                lastWriteNanos = System.nanoTime() - start;
            } catch (RuntimeException e) {
                if (failed.compareAndSet(false, true)) {
                    out.println("warning: cannot record training statistics in " + storage + " ("
                            + StatsFile.rootMessage(e) + "); training goes on without them");
                    out.flush();
                }
            }
        });
    }

    /** Writes what is queued (waiting up to 30 s); nothing is written after it. */
    void drain() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        drain();
        try {
            storage.close();
        } catch (IOException | RuntimeException e) {
            // the records are written; a failed close loses nothing
        }
    }
}

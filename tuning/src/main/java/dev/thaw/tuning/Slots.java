package dev.thaw.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A worker's slots (its {@link CandidateWorker#slots()}): jobs run that many at a time, each in a driver thread of
 * its own while it waits for its worker, and their results come back in item order. Used for a rung's candidates
 * and for the range tests before them.
 */
final class Slots {

    private Slots() {
    }

    /**
     * Runs {@code job} on each item in order, {@code slots} at a time, and returns the results in item order. A
     * job that returns empty did not start (a spent budget): no later item starts after it. A stop request (or
     * any exception) in one job is rethrown once the jobs already started have ended.
     */
    static <T, R> List<R> inOrder(int slots, List<T> items, Function<T, Optional<R>> job) {
        List<R> results = new ArrayList<>();
        if (slots == 1) {
            for (T item : items) {
                Optional<R> r = job.apply(item);
                if (r.isEmpty()) {
                    break;
                }
                results.add(r.get());
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(slots);
        AtomicBoolean ended = new AtomicBoolean();
        try {
            List<Future<Optional<R>>> started = new ArrayList<>();
            for (T item : items) {
                started.add(pool.submit(() -> {
                    Optional<R> r = ended.get() ? Optional.empty() : job.apply(item);
                    if (r.isEmpty()) {
                        ended.set(true);
                    }
                    return r;
                }));
            }
            RuntimeException failure = null;
            for (Future<Optional<R>> f : started) {
                try {
                    f.get().ifPresent(results::add);
                } catch (ExecutionException e) {
                    ended.set(true);
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the sweep's jobs ran", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.thaw.engine.train;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * A request to stop training early and cleanly: Ctrl-C (SIGINT) or SIGTERM once {@link #install} has run (the
 * command line does). The {@link Trainer} then stops at the next point where nothing is lost — at once when every
 * finished epoch is already in the checkpoint, else after the current epoch (which is then short: checkpoints are
 * held back only while epochs are cheap next to writing one), writes the checkpoint and throws
 * {@link TrainingStoppedException}. A second signal exits at once.
 *
 * <p>Signal handlers rather than a shutdown hook: a hook runs while the JVM is already exiting and cannot tell a
 * first Ctrl-C from a second.
 */
public final class StopSignal {

    private static final AtomicReference<String> REQUESTED = new AtomicReference<>();

    private StopSignal() {
    }

    /** Handles SIGINT and SIGTERM for the rest of the process, telling {@code err} what happens. */
    public static void install(PrintWriter err) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> {
                if (REQUESTED.compareAndSet(null, "SIG" + s.getName())) {
                    err.println("SIG" + s.getName() + ": stopping once the checkpoint holds every finished epoch "
                            + "(signal again to exit at once)");
                    err.flush();
                } else {
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }
            });
        }
    }

    /** The signal that asked to stop, if one did. */
    public static Optional<String> requested() {
        return Optional.ofNullable(REQUESTED.get());
    }

    /** Asks training to stop, as a signal would (tests; an embedding application's own stop button). */
    public static void request(String why) {
        REQUESTED.compareAndSet(null, why);
    }

    /** Forgets a request (after a stopped run, before the next one in the same process). */
    public static void clear() {
        REQUESTED.set(null);
    }
}

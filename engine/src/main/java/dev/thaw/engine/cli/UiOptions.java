package dev.thaw.engine.cli;

import dev.thaw.engine.ui.UiServer;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --ui} and its options: DL4J's training UI, live, while a command trains. */
public final class UiOptions {

    @Option(names = "--ui", description = "Serve DL4J's training UI while training (its address is printed).")
    boolean ui;

    @Option(names = "--ui-keep", description = "With --ui: keep serving after training ends, until Ctrl-C.")
    boolean keep;

    @Mixin
    UiAddress address;

    /** Whether {@code --ui} was given. */
    public boolean enabled() {
        return ui;
    }

    /** Runs {@code work}, with the UI up around it when {@code --ui} was given. */
    public <T> T around(PrintWriter out, Supplier<T> work) {
        return around(out, "/train", work);
    }

    /** Runs {@code work}, with the UI up around it when {@code --ui} was given, pointing the user at {@code page}. */
    public <T> T around(PrintWriter out, String page, Supplier<T> work) {
        if (!ui) {
            return work.get();
        }
        try (UiServer server = address.start(out)) {
            out.println("training UI: " + server.url() + page + " (" + (keep ? "kept after training, until Ctrl-C"
                    : "until training ends; --ui-keep keeps it") + ")");
            out.flush();
            T result = work.get();
            if (keep) {
                out.println("training ended; the UI stays at " + server.url() + page + " until Ctrl-C");
                out.flush();
                server.serveUntilStopped();
            }
            return result;
        }
    }
}

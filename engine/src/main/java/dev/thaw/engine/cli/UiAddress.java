package dev.thaw.engine.cli;

import dev.thaw.engine.ui.UiServer;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** Where the training UI listens: {@code --ui-host}, {@code --ui-port}. */
public final class UiAddress {

    @Option(names = "--ui-host", paramLabel = "HOST", defaultValue = UiServer.LOOPBACK,
            description = "Address the UI listens on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 "
                    + "exposes it to the network, without a login).")
    String host;

    @Option(names = "--ui-port", paramLabel = "PORT", defaultValue = "" + UiServer.DEFAULT_PORT,
            description = "UI port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    /** Starts the UI where these options say. */
    public UiServer start(PrintWriter out) {
        return UiServer.start(host, port, out);
    }
}

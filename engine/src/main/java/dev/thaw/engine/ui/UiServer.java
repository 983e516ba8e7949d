package dev.thaw.engine.ui;

import dev.thaw.engine.train.StopSignal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.VertxInternal;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.VertxUIServer;

/**
 * DL4J's training UI server ({@link VertxUIServer}: its train pages, and every UI module on the class path, such
 * as Thaw's sweep page) for this JVM, started on a chosen host and port and stopped by {@link #close()}.
 *
 * <p>Three things DL4J's own start does not do, done here: it binds to {@code 127.0.0.1} unless a host is given
 * (DL4J's server listens on every interface and has no option for it: its verticle is given a Vert.x whose
 * HTTP server listens on the host), a busy port is a one-line error naming {@code --ui-port}, and the
 * empty {@code DL4JUI_*} upload folder each start leaves in the temp directory is removed on close.
 */
public final class UiServer implements AutoCloseable {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 9000;

    private static volatile UiServer running;

    private final VertxUIServer server;
    private final String host;
    private final long startedMillis;
    private final long listeningMillis;
    private final Thread shutdownHook;
    private final Map<Path, StatsStorage> shown = new ConcurrentHashMap<>();

    private UiServer(VertxUIServer server, String host, long startedMillis, long listeningMillis) {
        this.server = server;
        this.host = host;
        this.startedMillis = startedMillis;
        this.listeningMillis = listeningMillis;
        this.shutdownHook = new Thread(this::stop, "thaw-ui-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The server this JVM runs, if any: runs started while it runs show up in it. */
    public static Optional<UiServer> running() {
        return Optional.ofNullable(running);
    }

    /**
     * Starts the UI on {@code host}:{@code port} (port 0: any free one). A host other than loopback is warned
     * about on {@code out}: the UI has no login.
     */
    public static synchronized UiServer start(String host, int port, PrintWriter out) {
        if (running != null) {
            throw new UiException("the UI already runs at " + running.url() + " in this process");
        }
        if (port < 0 || port > 65535) {
            throw new UiException("--ui-port " + port + " is not a port: give 1-65535, or 0 for any free one");
        }
        if (!resolve(host).isLoopbackAddress()) {
            out.println("warning: the UI listens on " + host + " (--ui-host): anyone who can reach this machine "
                    + "can see it, as it has no login");
            out.flush();
        }
        long started = System.currentTimeMillis();
        Vertx vertx = Vertx.vertx();
        String portProperty = System.getProperty("org.deeplearning4j.ui.port");
        // DL4J reads the port from this property when its verticle starts (its own field is set only by its own
        // deploy); Thaw's value wins over one the user set, as the user gave --ui-port
        System.setProperty("org.deeplearning4j.ui.port", Integer.toString(port));
        VertxUIServer server = new BoundServer(host);
        VertxUIServer.getMultiSession().set(false);
        CompletableFuture<String> deployed = new CompletableFuture<>();
        try {
            vertx.deployVerticle(server, result -> {
                if (result.succeeded()) {
                    deployed.complete(result.result());
                } else {
                    deployed.completeExceptionally(result.cause());
                }
            });
            deployed.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            vertx.close(); // its threads would keep the JVM alive
            removeUploadFolder(started, System.currentTimeMillis());
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new UiException(startFailure(host, port, cause), cause);
        } finally {
            if (portProperty == null) {
                System.clearProperty("org.deeplearning4j.ui.port");
            } else {
                System.setProperty("org.deeplearning4j.ui.port", portProperty);
            }
        }
        running = new UiServer(server, host, started, System.currentTimeMillis());
        return running;
    }

    private static String startFailure(String host, int port, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                boolean inUse = String.valueOf(t.getMessage()).contains("in use");
                return inUse ? "port " + port + " on " + host + " is in use: choose another with --ui-port (0 picks "
                        + "a free one)"
                        : "cannot listen on " + host + ":" + port + " (" + t.getMessage() + "): check --ui-host and "
                        + "--ui-port";
            }
        }
        return "the UI did not start on " + host + ":" + port + " (" + StatsFile.rootMessage(cause) + ")";
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UiException("--ui-host " + host + " is not an address of this machine: use 127.0.0.1 (the "
                    + "default), or 0.0.0.0 for every interface");
        }
    }

    /** The address to open in a browser. */
    public String url() {
        String address = host.equals("0.0.0.0") || host.equals("::") ? LOOPBACK : host;
        return "http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /**
     * Shows the stats of the run in {@code runDir} that this process records (DL4J's train pages list its
     * session, updated as it trains).
     */
    void show(Path runDir, StatsStorage recording) {
        StatsStorage before = shown.put(key(runDir), recording);
        if (before != null) {
            server.detach(before);
        }
        server.attach(recording);
    }

    /**
     * Shows a run's recorded stats, following what another process still adds; nothing if it is shown already.
     *
     * @throws UiException the run has no stats file, or a damaged one
     */
    public void show(Path runDir) {
        if (!shows(runDir)) {
            FollowedStats stats = StatsFile.follow(runDir);
            shown.put(key(runDir), stats);
            server.attach(stats);
        }
    }

    /** The run in {@code runDir} stopped recording (its file is closed): the UI reads its file from now on. */
    void recordingEnded(Path runDir) {
        StatsStorage recording = shown.remove(key(runDir));
        if (recording != null) {
            server.detach(recording);
            try {
                show(runDir);
            } catch (UiException e) {
                // nothing was recorded: the run has no stats to show
            }
        }
    }

    /**
     * The session the UI lists {@code runDir}'s stats under: the one its file holds when shown (a run recorded by an
     * older Thaw, or resumed, keeps its own), else the one a new recording takes.
     */
    public String sessionOf(Path runDir) {
        StatsStorage stats = shown.get(key(runDir));
        return stats != null ? StatsFile.recordedSession(stats, runDir) : StatsFile.sessionOf(runDir);
    }

    /** Whether {@code runDir}'s stats are in the UI. */
    public boolean shows(Path runDir) {
        return shown.containsKey(key(runDir));
    }

    /** The same run however its folder was named (relative, with ..). */
    private static Path key(Path runDir) {
        return runDir.toAbsolutePath().normalize();
    }

    /**
     * Serves until Ctrl-C or SIGTERM (Thaw's signal handler records the request instead of ending the JVM, so the
     * server is stopped cleanly by {@link #close()}).
     */
    public void serveUntilStopped() {
        serveUntilStopped(() -> { });
    }

    /** {@link #serveUntilStopped()}, running {@code everyFewSeconds} about every 2 s meanwhile. */
    public void serveUntilStopped(Runnable everyFewSeconds) {
        long next = System.nanoTime(); // nanoTime's origin is arbitrary: 0 need not be in the past
        while (StopSignal.requested().isEmpty()) {
            if (System.nanoTime() >= next) {
                everyFewSeconds.run();
                next = System.nanoTime() + 2_000_000_000L;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the server: its threads end (else the JVM never exits) and its temp folder is removed. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs stop() itself
        }
    }

    private synchronized void stop() {
        if (running != this) {
            return;
        }
        running = null;
        try {
            VertxUIServer.stopInstance();
        } catch (Exception e) {
            // stopping is best effort: the JVM exits anyway
        }
        for (StatsStorage s : shown.values()) {
            if (s instanceof FollowedStats followed) {
                try {
                    followed.close();
                } catch (IOException e) {
                    // read-only: nothing to lose
                }
            }
        }
        removeUploadFolder(startedMillis, listeningMillis);
    }

    /**
     * DL4J's server creates {@code DL4JUI_<millis>} in the temp directory at start (for uploads it never takes
     * here); remove the empty one whose time falls in this server's start, from {@code from} to {@code to}.
     */
    private static void removeUploadFolder(long from, long to) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "DL4JUI_*")) {
            for (Path d : dirs) {
                long millis = Long.parseLong(d.getFileName().toString().substring("DL4JUI_".length()));
                if (millis >= from && millis <= to) {
                    try (DirectoryStream<Path> inside = Files.newDirectoryStream(d)) {
                        if (!inside.iterator().hasNext()) {
                            Files.delete(d);
                        }
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // a folder left in the temp directory harms nothing
        }
    }

    /**
     * DL4J's verticle, given a Vert.x whose {@code createHttpServer()} listens on {@link #host} instead of every
     * interface; everything else goes to the real Vert.x.
     */
    private static final class BoundServer extends VertxUIServer {
        private final String host;

        BoundServer(String host) {
            this.host = host;
        }

        @Override
        public void init(Vertx vertx, Context context) {
            super.init(boundTo(vertx, host), context);
        }

        private static Vertx boundTo(Vertx vertx, String host) {
            return (Vertx) Proxy.newProxyInstance(UiServer.class.getClassLoader(),
                    new Class<?>[]{VertxInternal.class}, (proxy, method, args) -> {
                        if (method.getName().equals("createHttpServer") && method.getParameterCount() == 0) {
                            return boundTo(vertx.createHttpServer(), host);
                        }
                        return call(vertx, method, args);
                    });
        }

        /**
         * The server, whose {@code listen(port, handler)} listens on {@code host}: Vert.x 3.9's two-argument
         * {@code listen} takes 0.0.0.0 whatever the server's options say. Its fluent calls return this proxy.
         */
        private static HttpServer boundTo(HttpServer server, String host) {
            return (HttpServer) Proxy.newProxyInstance(UiServer.class.getClassLoader(),
                    new Class<?>[]{HttpServer.class}, (proxy, method, args) -> {
                        if (method.getName().equals("listen") && args != null && args.length == 2
                                && args[0] instanceof Integer port) {
                            @SuppressWarnings("unchecked")
                            Handler<AsyncResult<HttpServer>> done = (Handler<AsyncResult<HttpServer>>) args[1];
                            server.listen(port, host, done);
                            return proxy;
                        }
                        Object result = call(server, method, args);
                        return result == server ? proxy : result;
                    });
        }

        private static Object call(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}

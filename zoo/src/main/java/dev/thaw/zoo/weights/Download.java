package dev.thaw.zoo.weights;

import dev.thaw.zoo.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one file over HTTP(S) with every wait bounded.
 *
 * <p>DL4J's own zoo download uses unbounded connect and read timeouts, so on a machine without network it can
 * hang for minutes. Here name lookup, connect and each read have a deadline, progress is logged, and the file only
 * appears under its final name once complete.
 */
final class Download {

    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final Duration timeout;

    Download(Duration timeout) {
        this.timeout = timeout;
    }

    /** Downloads {@code url} to {@code target}; throws IOException saying which step failed. */
    void fetch(URL url, Path target) throws IOException {
        resolveHost(url.getHost());
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        int status = connection.getResponseCode();
        if (status != HttpURLConnection.HTTP_OK) {
            throw new IOException("server answered HTTP " + status + " for " + url);
        }
        long size = connection.getContentLengthLong();
        AtomicFile.write(target, part -> {
            try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[1 << 16];
                long done = 0;
                long nextReport = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    done += n;
                    if (done >= nextReport) {
                        LOG.info("downloading {}: {} MB{}", target.getFileName(), done >> 20,
                                size > 0 ? " of " + (size >> 20) + " MB" : "");
                        nextReport = done + (32L << 20);
                    }
                }
            }
        });
    }

    /** Name lookup has no timeout of its own in the JDK; run it on the side and stop waiting at the deadline. */
    private void resolveHost(String host) throws IOException {
        CompletableFuture<InetAddress> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("looking up " + host + " took longer than " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("cannot resolve host " + host + " (offline?)", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up " + host, e);
        }
    }
}

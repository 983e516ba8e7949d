package dev.thaw.tuning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium (`.ci/run` installs it), cut off from the network: every request except to loopback
 * goes to a proxy that does not exist, so a page that needed anything from the internet would show it.
 */
final class Chromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** The page's DOM once its scripts ran (10 s of virtual time). */
    static String dom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    /** Saves a 1400×1000 screenshot of the page once its scripts ran. */
    static void screenshot(String url, Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(List.of("--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot of " + url);
        }
    }

    private static String run(List<String> what) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("thaw-chromium");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000", "--virtual-time-budget=10000",
                "--proxy-server=http://127.0.0.1:9", "--user-data-dir=" + profile));
        cmd.addAll(what);
        Path output = Files.createTempFile("thaw-chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish with " + what);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        FolderTree.delete(profile);
        return out;
    }
}

package dev.thaw.engine.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.engine.ChildJvm;
import dev.thaw.engine.cli.ThawCli;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.TrainingListener;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's training UI for Thaw runs, checked at the HTTP level: what the train pages serve is what the run trained,
 * a run another process trains is followed, the server binds where asked and cleans up after itself.
 */
class TrainingUiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    @BeforeAll
    static void cache() {
        System.setProperty("thaw.cache.dir", dir.resolve("cache").toString());
    }

    @AfterAll
    static void clear() {
        System.clearProperty("thaw.cache.dir");
    }

    private static TrainConfig.Builder sample(String name, int epochs) {
        return TrainConfig.builder().data("fashion-mnist-sample").input("1x28x28")
                .split(new SplitPlan(1, 0.1, 0.1, 0, "0-2")).batch(16).epochs(epochs).name(name);
    }

    /** Minibatch losses as the trainer saw them, by the run's step number. */
    private static final class Losses implements TrainingListener {
        final Map<Long, Double> byStep = Collections.synchronizedMap(new HashMap<>());

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss, int examples) {
            byStep.put((long) epoch * batches + batch, loss);
        }
    }

    @Test
    void theTrainPagesShowTheRunWithTheLossesItTrainedWith() throws Exception {
        Losses losses = new Losses();
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            FineTune.run(sample("watched", 10).build(), dir.resolve("runs"), quiet(), List.of(losses));
            assertTrue(Files.isRegularFile(dir.resolve("runs/watched/stats.db")));

            JsonNode sessions = get(ui, "/train/sessions/info");
            assertTrue(sessions.has("watched"), sessions.toString());
            assertEquals("ComputationGraph", sessions.get("watched").get("modelType").asText());
            get(ui, "/train/sessions/set/watched", false);
            JsonNode overview = get(ui, "/train/overview/data");
            JsonNode scores = overview.get("scores");
            JsonNode steps = overview.get("scoresIter");
            assertTrue(scores.size() >= 2, "the first step and more, in a 10-epoch run: " + overview);
            long previous = -1;
            for (int i = 0; i < scores.size(); i++) {
                long step = steps.get(i).asLong();
                assertTrue(step > previous, "steps increase: " + steps);
                previous = step;
                Double loss = losses.byStep.get(step);
                assertTrue(loss != null, "step " + step + " was trained: " + losses.byStep.keySet());
                assertEquals(loss, scores.get(i).asDouble(), 1e-6, "score at step " + step);
            }
        }
    }

    @Test
    void frozenLayersShowNoUpdates() throws Exception {
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            // without the feature cache the whole graph trains, its frozen layers included, so DL4J sees them
            FineTune.run(sample("frozen", 4).strategy("freeze:block2").featureCache(false).build(),
                    dir.resolve("runs"), quiet());
            get(ui, "/train/sessions/set/frozen", false);
            JsonNode ratios = get(ui, "/train/overview/data").get("updateRatios");
            List<String> names = new ArrayList<>();
            ratios.fieldNames().forEachRemaining(names::add);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("block3")), "trained layers have ratios: " + names);
            for (String n : names) {
                if (n.startsWith("block1") || n.startsWith("block2")) {
                    for (JsonNode v : ratios.get(n)) {
                        assertEquals(0.0, v.asDouble(), 0.0, n + " is frozen: " + ratios.get(n));
                    }
                } else if (n.startsWith("block3")) {
                    assertTrue(ratios.get(n).get(0).asDouble() > 0, n + " trains: " + ratios.get(n));
                }
            }
        }
    }

    /** Another JVM trains; this one follows its stats file and sees the session grow while it trains. */
    @Test
    void aRunAnotherProcessTrainsIsFollowedLive() throws Exception {
        Path runs = dir.resolve("runs-child");
        Path run = runs.resolve("elsewhere");
        Process child = ChildJvm.of(List.of("-Dthaw.progress=off", "-Dthaw.cache.dir=" + dir.resolve("cache")),
                ThawCli.class, "train", "--data", "fashion-mnist-sample", "--input", "1x28x28", "--classes", "0-2",
                "--epochs", "200", "--batch", "16", "--runs", runs.toString(), "--name", "elsewhere")
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!hasRecords(run) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(hasRecords(run), "the child records stats: " + Files.readString(dir.resolve("child.log")));
            ui.show(run);
            get(ui, "/train/sessions/set/elsewhere", false);
            int first = get(ui, "/train/overview/data").get("scores").size();
            long lastUpdate = get(ui, "/train/sessions/lastUpdate/elsewhere").asLong();
            int later = first;
            long laterUpdate = lastUpdate;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((later <= first || laterUpdate <= lastUpdate) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                later = get(ui, "/train/overview/data").get("scores").size();
                laterUpdate = get(ui, "/train/sessions/lastUpdate/elsewhere").asLong();
            }
            assertTrue(later > first, "new scores appear as the other process trains: " + first + " -> " + later);
            assertTrue(laterUpdate > lastUpdate, "the page is told to redraw (last update moves on)");
            assertTrue(child.isAlive(), "the child still trains: " + Files.readString(dir.resolve("child.log")));
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.readString(dir.resolve("child.log")).contains("cannot record"),
                "reading never broke the writer's recording: " + Files.readString(dir.resolve("child.log")));
    }

    /** A followed file that had no session yet: the session joins the train pages once it is written. */
    @Test
    void aSessionThatStartsAfterTheFileIsFollowedJoinsTheTrainPages() throws Exception {
        Path run = Files.createDirectories(dir.resolve("late"));
        StatsRecorder recorder = StatsRecorder.open(run, quiet()); // the file exists, empty, before the UI starts
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            ui.show(run);
            assertFalse(get(ui, "/train/sessions/info").has("late"));
            ComputationGraph graph = Backbones.get("smallcnn").build(new InputShape(1, 28, 28), 3, 1);
            recorder.onGraph(graph, 0);
            graph.fit(new DataSet(Nd4j.rand(new int[] {8, 1, 28, 28}), Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1)));
            // the recorder stays open (closing it re-opens the file in the UI): only the poll can find the session
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!get(ui, "/train/sessions/info").has("late") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(get(ui, "/train/sessions/info").has("late"), "found by the follower's poll");
        } finally {
            recorder.close();
        }
    }

    private static boolean hasRecords(Path run) {
        if (!Files.isRegularFile(StatsFile.of(run))) {
            return false;
        }
        try {
            FollowedStats s = StatsFile.follow(run);
            try {
                return !s.listSessionIDs().isEmpty() && s.getNumUpdateRecordsFor("elsewhere") > 0;
            } finally {
                s.close();
            }
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }

    @Test
    void aMissingOrDamagedStatsFileIsOneLineThatSaysWhat() throws Exception {
        Path none = Files.createDirectories(dir.resolve("no-stats"));
        UiException missing = assertThrows(UiException.class, () -> StatsFile.follow(none));
        assertTrue(missing.getMessage().contains("--no-stats"), missing.getMessage());
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        Files.writeString(StatsFile.of(damaged), "this is not a database, it is a text file ".repeat(100));
        UiException bad = assertThrows(UiException.class, () -> StatsFile.follow(damaged));
        assertTrue(bad.getMessage().contains(StatsFile.of(damaged).toString()), bad.getMessage());
        assertEquals(1, bad.getMessage().lines().count(), bad.getMessage());
    }

    @Test
    void trainingGoesOnWhenItsStatsCannotBeKept() throws Exception {
        Path runs = dir.resolve("runs-broken");
        FineTune.run(sample("broken", 1).build(), runs, quiet());
        Path run = runs.resolve("broken");
        Files.delete(StatsFile.of(run));
        Files.createDirectories(StatsFile.of(run)); // a folder where the file should be: SQLite cannot open it
        StringWriter log = new StringWriter();
        FineTune.extend(run, 2, new PrintWriter(log, true));
        assertTrue(log.toString().contains("training goes on without stats"), log.toString());
        assertEquals(3, Files.readAllLines(run.resolve("metrics.csv")).size(), "header + 2 epochs");
    }

    @Test
    void listensOnLoopbackOnlyAndABusyPortNamesTheOption() throws Exception {
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            assertEquals(200, status(ui.url() + "/train"));
            Optional<InetAddress> external = externalAddress();
            assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
            try (Socket s = new Socket()) {
                assertThrows(ConnectException.class,
                        () -> s.connect(new InetSocketAddress(external.get(), ui.port()), 2000),
                        "not reachable at " + external.get());
            }
        }
        List<Path> before = uiTempFolders();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName(UiServer.LOOPBACK))) {
            UiException busy = assertThrows(UiException.class,
                    () -> UiServer.start(UiServer.LOOPBACK, taken.getLocalPort(), quiet()));
            assertTrue(busy.getMessage().contains("--ui-port"), busy.getMessage());
        }
        assertEquals(before, uiTempFolders(), "a failed start leaves no DL4JUI_* folder either");
        assertTrue(UiServer.running().isEmpty());
    }

    @Test
    void closingEndsItsThreadsAndRemovesItsTempFolder() throws Exception {
        List<Path> before = uiTempFolders();
        UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("vert.x-eventloop") && !t.isDaemon()));
        ui.close();
        Thread.sleep(500);
        assertEquals(before, uiTempFolders(), "no DL4JUI_* folder left behind");
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith("vert.x-") && !t.isDaemon() && t.isAlive()),
                "no non-daemon Vert.x thread keeps the JVM alive");
    }

    private static List<Path> uiTempFolders() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("DL4JUI_")).sorted().toList();
        }
    }

    private static Optional<InetAddress> externalAddress() throws IOException {
        Iterator<NetworkInterface> it = NetworkInterface.getNetworkInterfaces().asIterator();
        while (it.hasNext()) {
            NetworkInterface n = it.next();
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    static JsonNode get(UiServer ui, String path) throws Exception {
        return get(ui, path, true);
    }

    static JsonNode get(UiServer ui, String path, boolean json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ui.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return json ? JSON.readTree(r.body()) : null;
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }
}

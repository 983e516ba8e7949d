package dev.thaw.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.engine.cli.ThawCli;
import dev.thaw.engine.train.StopSignal;
import dev.thaw.engine.train.TrainingStoppedException;
import dev.thaw.engine.ui.UiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thaw's sweep page in DL4J's UI server: its JSON against the sweep's own results log, across a stop and resume,
 * and both it and DL4J's train pages rendered by a real (headless, offline) browser.
 */
class SweepPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Two candidates of 30 epochs: long enough for a stop to land inside the second. */
    private static final SweepSpec SPEC = new SweepSpec(List.of("block3", "head"), 1e-3, 1e-3, null, null, null,
            null, null, 30, "grid", 1, 0, 0, 1, 3, 30);

    @TempDir
    static Path dir;

    private static Path sweep;
    private static List<String> statusesAfterStop;

    @BeforeAll
    static void stoppedAndResumedSweep() throws Exception {
        System.setProperty("thaw.cache.dir", dir.resolve("cache").toString());
        System.setProperty("thaw.progress", "off");
        sweep = dir.resolve("sweep");
        int[] asked = {0};
        CandidateGate stopDuringTheSecond = (config, done) -> {
            if (++asked[0] == 2) {
                Thread signal = new Thread(() -> {
                    while (!Files.exists(sweep.resolve("candidates/c001/config.json"))) {
                        Thread.onSpinWait();
                    }
                    StopSignal.request("SIGTERM");
                });
                signal.setDaemon(true);
                signal.start();
            }
            return Optional.empty();
        };
        try {
            assertThrows(TrainingStoppedException.class, () -> Sweep.run(SPEC, SweepTest.base(1), sweep, quiet(),
                    stopDuringTheSecond));
        } finally {
            StopSignal.clear();
        }
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            SweepPage.clear(); // the page is a JVM-wide registry: other tests' sweeps off it
            SweepPage.show(sweep);
            statusesAfterStop = JSON.readTree(get(ui, "/thaw/sweeps/data")).get(0).findValuesAsText("status");
        }
        Sweep.run(SPEC, SweepTest.base(1), sweep, quiet());
    }

    @AfterAll
    static void clear() {
        SweepPage.clear();
        System.clearProperty("thaw.cache.dir");
    }

    @Test
    void thePageShowsTheSweepAsItsFolderHasIt() throws Exception {
        assertEquals(List.of("ok", "interrupted"), statusesAfterStop, "during the stop");
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            SweepPage.clear(); // the page is a JVM-wide registry: other tests' sweeps off it
            SweepPage.show(sweep);
            JsonNode page = JSON.readTree(get(ui, "/thaw/sweeps/data")).get(0);
            List<CandidateRecord> finals = SweepReport.finalRecords(
                    ResultsLog.readOnly(sweep.resolve("results.jsonl"), CandidateRecord.class));
            assertEquals(2, finals.size());
            JsonNode candidates = page.get("candidates");
            assertEquals(finals.size(), candidates.size(), page.toString());
            for (int i = 0; i < finals.size(); i++) {
                CandidateRecord r = finals.get(i);
                JsonNode c = candidates.get(i);
                assertEquals(r.index(), c.get("index").asInt(), "ranked as the report ranks them");
                assertEquals("ok", c.get("status").asText(), "after the resume");
                assertEquals(r.score(), c.get("score").asDouble(), 1e-12);
                assertEquals(r.freeze(), c.get("freeze").asText());
                assertTrue(c.get("hasStats").asBoolean(), "each candidate recorded its training");
            }
            assertEquals(Sweep.best(finals).orElseThrow().index(), page.get("best").asInt());
            assertEquals(0, page.get("running").size());
            JsonNode heat = page.get("heatmap");
            assertEquals(List.of("block3", "head"), List.of(heat.get("freezePoints").get(0).asText(),
                    heat.get("freezePoints").get(1).asText()));
            Map<String, Double> byFreeze = new HashMap<>();
            finals.forEach(r -> byFreeze.put(r.freeze(), r.score()));
            assertEquals(byFreeze.get("block3"), heat.get("scores").get(0).get(0).asDouble(), 1e-12);
            assertEquals(byFreeze.get("head"), heat.get("scores").get(1).get(0).asDouble(), 1e-12);

            // the page brought each candidate's training session into DL4J's train pages, named with the sweep;
            // c001 recorded before and after its stop: one session
            JsonNode sessions = JSON.readTree(get(ui, "/train/sessions/info"));
            assertEquals(List.of("sweep-c000", "sweep-c001"), sessionNames(sessions), sessions.toString());
            assertEquals(List.of("sweep-c000", "sweep-c001"), candidates.findValuesAsText("session").stream()
                    .sorted().toList(), "the page links to them");
        }
    }

    /**
     * Two sweeps in one UI: every sweep has a c000, and DL4J's train pages keep one session per id, so each
     * candidate's session carries its sweep's name. A candidate recorded under another id (by an older Thaw, or
     * copied from another sweep) is linked under the id its file holds.
     */
    @Test
    void twoSweepsInOneUiKeepTheirCandidatesApart() throws Exception {
        Path second = dir.resolve("second");
        Sweep.run(new SweepSpec(List.of("block3", "head"), 1e-3, 1e-3, null, null, null, null, null, 1, "grid", 1, 0,
                0, 1, 3, 1), SweepTest.base(1), second, quiet());
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            SweepPage.clear();
            SweepPage.show(sweep);
            SweepPage.show(second);
            JsonNode pages = JSON.readTree(get(ui, "/thaw/sweeps/data"));
            assertEquals(List.of("sweep-c000", "sweep-c001"), pages.get(0).get("candidates").findValuesAsText(
                    "session").stream().sorted().toList());
            assertEquals(List.of("second-c000", "second-c001"), pages.get(1).get("candidates").findValuesAsText(
                    "session").stream().sorted().toList());
            JsonNode sessions = JSON.readTree(get(ui, "/train/sessions/info"));
            assertEquals(List.of("second-c000", "second-c001", "sweep-c000", "sweep-c001"), sessionNames(sessions),
                    sessions.toString());
        } finally {
            SweepPage.clear();
        }

        Path copy = dir.resolve("copy");
        copyTree(second, copy);
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            SweepPage.show(copy);
            JsonNode page = JSON.readTree(get(ui, "/thaw/sweeps/data")).get(0);
            assertEquals(List.of("second-c000", "second-c001"), page.get("candidates").findValuesAsText("session")
                    .stream().sorted().toList(), "the ids the copied files hold, which the train pages list");
            assertEquals(List.of("second-c000", "second-c001"),
                    sessionNames(JSON.readTree(get(ui, "/train/sessions/info"))));
        } finally {
            SweepPage.clear();
        }
    }

    private static List<String> sessionNames(JsonNode sessions) {
        List<String> names = new ArrayList<>();
        sessions.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Both pages in a real browser, offline: charts drawn, every candidate listed; screenshots in target/. */
    @Test
    void theSweepPageAndTheTrainPagesRenderInABrowser() throws Exception {
        assumeTrue(Chromium.available(), "Debian's chromium is not installed (.ci/run installs it)");
        Path shots = Path.of("target", "ui-screenshots");
        try (UiServer ui = UiServer.start(UiServer.LOOPBACK, 0, quiet())) {
            SweepPage.clear(); // the page is a JVM-wide registry: other tests' sweeps off it
            SweepPage.show(sweep);
            String dom = Chromium.dom(ui.url() + SweepPage.PATH);
            assertTrue(dom.contains("data-rendered=\"true\""), "the page's script rendered: " + dom);
            String page = dom.substring(dom.indexOf("<main"), dom.indexOf("</main>")); // not the script's text
            assertEquals(2, count(page, "<tr class=\"cand"), "both candidates listed");
            assertTrue(count(page, "<circle") >= 2, "the score-vs-lr chart has its points");
            assertTrue(page.contains("class=\"heat\""), "the heatmap is there");
            Chromium.screenshot(ui.url() + SweepPage.PATH, shots.resolve("sweep-page.png"));

            get(ui, "/train/sessions/set/sweep-c000");
            String overview = Chromium.dom(ui.url() + "/train/overview");
            assertTrue(overview.contains("flot-base"), "DL4J's score chart was drawn (a flot canvas)");
            Chromium.screenshot(ui.url() + "/train/overview", shots.resolve("train-overview.png"));
            Chromium.screenshot(ui.url() + "/train/model", shots.resolve("train-model.png"));
        }
    }

    /** {@code thaw ui SWEEP} serves the page until Ctrl-C; a folder it cannot show is one line and exit 1. */
    @Test
    void theUiCommandServesASweepUntilStoppedAndRefusesWhatItCannotShow() throws Exception {
        StringWriter err = new StringWriter();
        int code = ui(new StringWriter(), err, served -> {
            Matcher url = Pattern.compile("sweep page: (http://127\\.0\\.0\\.1:\\d+)/thaw/sweeps").matcher(served);
            assertTrue(url.find(), served + " / " + err);
            HttpResponse<String> data = HTTP.send(HttpRequest.newBuilder(URI.create(url.group(1)
                    + "/thaw/sweeps/data")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(2, JSON.readTree(data.body()).get(0).get("candidates").size(), data.body());
        }, sweep.toString());
        assertEquals(0, code, err.toString());
        assertTrue(UiServer.running().isEmpty(), "stopped with the command");

        StringWriter missingErr = new StringWriter();
        assertEquals(1, ThawCli.run(new String[] {"ui", dir.resolve("nothing-here").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(missingErr, true)));
        assertTrue(missingErr.toString().contains("does not exist"), missingErr.toString());
        assertEquals(1, missingErr.toString().strip().lines().count(), missingErr.toString());
    }

    /** Two run folders of the same name record the same session: {@code thaw ui} says one of them will not show. */
    @Test
    void runsSharingASessionNameAreWarnedAbout() throws Exception {
        Path a = dir.resolve("same/a/c000");
        Path b = dir.resolve("same/b/c000");
        copyTree(sweep.resolve("candidates/c000"), a);
        copyTree(sweep.resolve("candidates/c000"), b);
        StringWriter out = new StringWriter();
        int code = ui(out, new StringWriter(), served -> assertTrue(served.contains("warning: " + a + " and " + b
                + " recorded the same session name 'sweep-c000': DL4J's train pages show only one of them"), served),
                a.toString(), b.toString());
        assertEquals(0, code, out.toString());
        assertEquals(0, ui(new StringWriter(), new StringWriter(), served -> assertTrue(!served.contains("warning"),
                served), a.toString(), sweep.resolve("candidates/c001").toString()), "different sessions: no warning");
    }

    /** Runs {@code thaw ui DIRS} on a free port until it serves, hands {@code check} its output, then stops it. */
    private static int ui(StringWriter out, StringWriter err, Served check, String... dirs) throws Exception {
        int[] code = {-1};
        List<String> args = new ArrayList<>(List.of("ui"));
        args.addAll(List.of(dirs));
        args.addAll(List.of("--ui-port", "0"));
        SweepPage.clear();
        Thread command = new Thread(() -> code[0] = ThawCli.run(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true)));
        command.start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!out.toString().contains("serving until Ctrl-C") && command.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            check.accept(out.toString());
        } finally {
            StopSignal.request("SIGINT");
            command.join(30_000);
            StopSignal.clear();
            SweepPage.clear();
        }
        return code[0];
    }

    /** What a test checks while {@code thaw ui} serves. */
    private interface Served {
        void accept(String output) throws Exception;
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String get(UiServer ui, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ui.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }
}

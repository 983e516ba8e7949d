package dev.thaw.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.cli.ThawCli;
import dev.thaw.engine.train.StopSignal;
import dev.thaw.tuning.CandidateRecord;
import dev.thaw.tuning.RateFinder;
import dev.thaw.tuning.ResultsLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps whose candidates run as Spark tasks in {@code local[2]}, against the same sweep run locally: same
 * candidates, same scores, featurizations shared, resumable after a killed driver. Small real data (a few hundred
 * Fashion-MNIST images, the small CNN) so that the whole class takes a minute or two.
 */
class SparkSweepTest {

    @TempDir
    static Path dir;

    private static final String[] DATA = {"--data", "fashion-mnist-sample", "--classes", "0-2", "--per-class", "30",
            "--val", "0.02", "--test", "0.02", "--input", "1x28x28", "--batch", "16", "--epochs", "2"};

    @AfterEach
    void clear() {
        System.clearProperty("thaw.cache.dir");
    }

    /** {@code thaw sweep ARGS DATA} in this JVM with its own cache folder; the text output, or fails on exit != 0. */
    private static String sweep(String cache, String... args) {
        System.setProperty("thaw.cache.dir", dir.resolve(cache).toString());
        List<String> all = new ArrayList<>(List.of("sweep"));
        all.addAll(List.of(args));
        all.addAll(List.of(DATA));
        StringWriter out = new StringWriter();
        int code = ThawCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(out, true));
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    /** The sweep of {@code space} in {@code DIR/NAME} with its own cache, in {@code local[2]} or here. */
    private static String sweepIn(String name, boolean onSpark, String... space) {
        Stream<String> where = Stream.of("--dir", dir.resolve(name).toString());
        if (onSpark) {
            where = Stream.concat(where, Stream.of("--spark", "local[2]"));
        }
        return sweep("cache-" + name, Stream.concat(where, Stream.of(space)).toArray(String[]::new));
    }

    private static List<CandidateRecord> records(Path sweep) {
        return new ResultsLog<>(sweep.resolve("results.jsonl"), CandidateRecord.class).all().stream()
                .sorted(Comparator.comparingInt(CandidateRecord::index)).toList();
    }

    @Test
    void aSweepOnSparkGivesTheLocalSweepsCandidatesAndScoresAndFeaturizesOnce() {
        String[] space = {"--freeze", "block3", "--lr-min", "1e-3", "--lr-max", "1e-2", "--lr-count", "3"};
        Path local = dir.resolve("local");
        Path spark = dir.resolve("spark");
        String localOut = sweepIn("local", false, space);
        String sparkOut = sweepIn("spark", true, space);
        assertTrue(sparkOut.contains("trained as Spark tasks on local[2], 2 at a time"), sparkOut);

        List<CandidateRecord> expected = records(local);
        List<CandidateRecord> actual = records(spark);
        assertEquals(3, expected.size(), localOut);
        assertEquals(3, actual.size(), sparkOut);
        for (int i = 0; i < 3; i++) {
            CandidateRecord e = expected.get(i);
            CandidateRecord a = actual.get(i);
            assertTrue(a.ok(), a.reason());
            assertEquals(e.lr(), a.lr(), 0.0);
            assertEquals(e.strategy(), a.strategy());
            assertEquals(e.valScores().size(), a.valScores().size());
            for (int epoch = 0; epoch < e.valScores().size(); epoch++) {
                assertEquals(e.valScores().get(epoch), a.valScores().get(epoch), 1e-6,
                        "c" + i + " epoch " + (epoch + 1) + ": same seed, same data, same score");
            }
            assertTrue(Files.isRegularFile(spark.resolve("candidates").resolve(String.format("c%03d", i))
                    .resolve("model.zip")), "the executor wrote the candidate's run into the sweep folder");
        }
        // one freeze point, two splits (train, val): featurized twice in all, even with two candidates at a time
        assertEquals(2, actual.stream().mapToInt(CandidateRecord::featuresComputed).sum(), sparkOut);
        assertEquals(4, actual.stream().mapToInt(CandidateRecord::featuresReused).sum(), sparkOut);
        assertEquals(expected.stream().map(CandidateRecord::index).toList(),
                actual.stream().map(CandidateRecord::index).toList());
        assertTrue(Files.isRegularFile(spark.resolve("best/model.zip")));
    }

    /** A real kill: a separate JVM drives the Spark sweep and is SIGKILLed mid-way; it is then resumed here. */
    @Test
    void aKilledDriverResumesWithoutRunningAnyCandidateTwiceOrLosingOne() throws Exception {
        Path d = dir.resolve("killed");
        String cache = dir.resolve("cache-killed").toString();
        List<String> args = new ArrayList<>(List.of("sweep", "--dir", d.toString(), "--spark", "local[2]",
                "--freeze", "full,block3,head", "--lr-min", "1e-3", "--lr-max", "1e-2", "--lr-count", "2"));
        args.addAll(List.of(DATA));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dthaw.progress=off", "-Dthaw.cache.dir=" + cache, "-Dorg.bytedeco.javacpp.cachedir="
                        + System.getProperty("org.bytedeco.javacpp.cachedir")));
        cmd.addAll(javaModuleOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ThawCli.class.getName()));
        cmd.addAll(args);
        Path log = dir.resolve("killed-driver.log");
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path results = d.resolve("results.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (driver.isAlive() && System.nanoTime() < deadline
                && (!Files.exists(results) || Files.readAllLines(results).size() < 2)) {
            Thread.sleep(50);
        }
        driver.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        List<CandidateRecord> before = new ResultsLog<>(results, CandidateRecord.class).all();
        assertTrue(before.size() >= 2 && before.size() < 6, "killed mid-way after " + before.size()
                + " candidates: " + Files.readString(log));

        String out = sweep("cache-killed", args.subList(1, args.size()).stream()
                .limit(args.size() - 1 - DATA.length).toArray(String[]::new));
        List<CandidateRecord> after = new ResultsLog<>(results, CandidateRecord.class).all();
        assertEquals(6, after.size(), "none missing: " + out);
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), after.stream().map(CandidateRecord::index).collect(Collectors.toSet()),
                "none twice");
        assertEquals(before, after.subList(0, before.size()), "finished candidates were not redone");
        assertTrue(out.contains("(" + before.size() + " already done before this start)"), out);
        assertTrue(after.stream().allMatch(CandidateRecord::ok), out);
    }

    /** {@code --search find --spark}: each range test is a Spark task, and finds what the same test finds here. */
    @Test
    void rangeTestsRunAsSparkTasksAndFindTheLocalRates() {
        String[] space = {"--search", "find", "--freeze", "block3,head", "--lr-min", "1e-4", "--lr-max", "1e-1"};
        Path local = dir.resolve("find-local");
        Path spark = dir.resolve("find-spark");
        String localOut = sweepIn("find-local", false, space);
        String sparkOut = sweepIn("find-spark", true, space);
        assertTrue(sparkOut.contains("learning-rate range tests: 2, each 50 minibatches")
                && sparkOut.contains("each a Spark task on local[2], 2 at a time"), sparkOut);
        assertTrue(!localOut.contains("Spark tasks"), localOut);

        Map<String, RateFinder.Test> here = byStrategy(RateFinder.read(local).values());
        Map<String, RateFinder.Test> there = byStrategy(RateFinder.read(spark).values());
        assertEquals(Set.of("freeze:block3", "head"), here.keySet(), localOut);
        assertEquals(here.keySet(), there.keySet(), sparkOut);
        for (String strategy : here.keySet()) {
            assertEquals(here.get(strategy).curve().losses(), there.get(strategy).curve().losses(), strategy);
            assertEquals(here.get(strategy).rate(), there.get(strategy).rate(), 0, strategy);
        }
        // each candidate trained at its test's rate, as here
        assertEquals(records(local).stream().map(CandidateRecord::lr).toList(),
                records(spark).stream().map(CandidateRecord::lr).toList(), sparkOut);
    }

    private static Map<String, RateFinder.Test> byStrategy(Collection<RateFinder.Test> tests) {
        return tests.stream().collect(Collectors.toMap(t -> t.config().strategy(), t -> t));
    }

    /**
     * {@code sweep --spark --ui}: DL4J's UI (Vert.x) on Spark's Netty answers. With Vert.x 3.9.0 every request
     * failed inside Vert.x ("NullPointerException: cause", a Netty 4.1.61+ change) and hung; the module pins 3.9.16.
     */
    @Test
    void aSweepOnSparkServesItsPageAndTrainingSessions() throws Exception {
        Path d = dir.resolve("ui");
        System.setProperty("thaw.cache.dir", dir.resolve("cache-ui").toString());
        StringWriter out = new StringWriter();
        int[] code = {-1};
        List<String> args = new ArrayList<>(List.of("sweep", "--dir", d.toString(), "--spark", "local[2]", "--ui",
                "--ui-keep", "--ui-port", "0", "--freeze", "block3,head", "--lr-count", "1"));
        args.addAll(List.of(DATA));
        Thread sweep = new Thread(() -> code[0] = ThawCli.run(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(out, true)));
        sweep.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!out.toString().contains("training ended; the UI stays at") && sweep.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Matcher url = Pattern.compile("the UI stays at (http://127\\.0\\.0\\.1:\\d+)")
                    .matcher(out.toString());
            assertTrue(url.find(), out.toString());
            // HTTP/1.1, as browsers speak to a plain http:// address (Java's client would upgrade to HTTP/2, a path
            // that never met the failure)
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String page : List.of("/thaw/sweeps/data", "/train/sessions/info", "/thaw/sweeps")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url.group(1) + page))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), page + ": " + r.body());
                if (page.equals("/train/sessions/info")) {
                    assertTrue(r.body().contains("\"ui-c000\"") && r.body().contains("\"ui-c001\""),
                            "each candidate's training, recorded on an executor: " + r.body());
                }
            }
        } finally {
            StopSignal.request("SIGINT");
            sweep.join(60_000);
            StopSignal.clear();
        }
        assertEquals(0, code[0], out.toString());
    }

    @Test
    void anUnreachableMasterIsOneLineNamingTheFix() {
        StringWriter out = new StringWriter();
        int code = ThawCli.run(new String[] {"sweep", "--dir", dir.resolve("unreachable").toString(), "--spark",
                "spark://127.0.0.1:1", "--freeze", "head", "--lr-count", "1"}, new PrintWriter(out, true),
                new PrintWriter(out, true));
        assertEquals(1, code, out.toString());
        assertTrue(out.toString().contains("thaw sweep: cannot reach the Spark master at spark://127.0.0.1:1: start "
                + "it"), out.toString());
    }

    @Test
    void aJavaWithoutSparksModuleOpeningsIsOneLineNamingTheFix() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ThawCli.class.getName(), "sweep", "--dir",
                dir.resolve("no-opens").toString(), "--spark", "local[2]", "--freeze", "head", "--lr-count", "1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.contains("thaw sweep: this Java does not open java.base/java.nio to Spark: run through "
                + "spark-submit, or add Spark's --add-opens list"), out);
    }

    /** The --add-opens options this test JVM got from the build, for a child that starts Spark too. */
    private static List<String> javaModuleOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")).toList();
    }
}

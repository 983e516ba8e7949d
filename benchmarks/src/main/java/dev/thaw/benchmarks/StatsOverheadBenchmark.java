package dev.thaw.benchmarks;

import dev.thaw.engine.ui.StatsFile;
import dev.thaw.engine.ui.StatsRecorder;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.FreezePoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Question: what does recording DL4J's training statistics (every run does it, for the training UI) cost a training
 * step? Issue 15 allows at most 5 % on ResNet50 at 64 px and on the small CNN.
 *
 * <p>Per case, one graph (every layer trains, Adam, random images: {@link SyntheticWorkload}) alternates rounds of
 * steps without a listener and with Thaw's {@link StatsRecorder} attached as a run attaches it (paced records,
 * written to a SQLite stats file on a background thread), in the order A B B A … so that drift (JIT, heat) falls on
 * both. The figure per mode is the median over rounds of the mean step time of a round; the overhead is their
 * ratio, in the same run. The records are counted from the file; what a phase start costs (DL4J collects the
 * model's static information) is measured apart.
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=StatsOverheadBenchmark} (about 8 minutes), writes
 * {@code benchmarks/results/stats-overhead.md}.
 */
public final class StatsOverheadBenchmark {

    private static final String HELP = """
            StatsOverheadBenchmark: step time with and without Thaw's DL4J stats recording.
              --cases LIST    model:size:batch:steps:rounds,... (default smallcnn:32:32:150:6,resnet50:64:32:40:2)
              --out FILE      default benchmarks/results/stats-overhead.md
            """;

    record Result(String model, int size, int batch, int steps, double bareMs, double recordedMs, long records,
                  double startSeconds) {
        double overhead() {
            return recordedMs / bareMs - 1;
        }
    }

    public static void main(String[] args) throws Exception {
        BenchmarkArgs o = new BenchmarkArgs(args, HELP, "--cases", "--out");
        String cases = o.get("--cases", "smallcnn:32:32:150:6,resnet50:64:32:40:2");
        Path out = o.getPath("--out", "benchmarks/results/stats-overhead.md");
        List<Result> results = new ArrayList<>();
        for (String c : cases.split(",")) {
            String[] p = c.split(":");
            Result r = measure(Backbones.get(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                    Integer.parseInt(p[3]), Integer.parseInt(p[4]));
            System.out.printf(Locale.ROOT, "%s %d px batch %d: bare %.1f ms, recorded %.1f ms (%+.1f %%), %d "
                    + "records, phase start %.2f s%n", r.model(), r.size(), r.batch(), r.bareMs(), r.recordedMs(),
                    100 * r.overhead(), r.records(), r.startSeconds());
            results.add(r);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report(results));
        System.out.println("written " + out);
    }

    private static Result measure(Backbone backbone, int size, int batch, int steps, int rounds) throws Exception {
        Nd4j.getRandom().setSeed(1);
        ComputationGraph graph = SyntheticWorkload.graph(backbone, size, FreezePoint.NONE, 1e-4);
        DataSet data = SyntheticWorkload.batch(backbone, size, batch, 0);
        for (int i = 0; i < 5; i++) {
            graph.fit(data); // warm-up: JIT, oneDNN primitives, workspaces
        }
        Path runDir = Files.createTempDirectory("thaw-stats-overhead");
        StatsRecorder recorder = StatsRecorder.open(runDir, new PrintWriter(System.err, true));

        // what a phase start costs once: DL4J's listener collects the model's static information at its first
        // steps, and records the first step
        double bareStart = timeSteps(graph, data, 2);
        recorder.onGraph(graph, 0);
        double recordedStart = timeSteps(graph, data, 2);
        List<TrainingListener> listeners = new ArrayList<>(graph.getListeners());

        List<Double> bare = new ArrayList<>();
        List<Double> recorded = new ArrayList<>();
        for (int round = 0; round < 2 * rounds; round++) {
            boolean record = round % 4 == 1 || round % 4 == 2; // A B B A
            graph.setListeners(record ? listeners : new ArrayList<>()); // the same listener: its pace goes on
            (record ? recorded : bare).add(timeSteps(graph, data, steps) / steps);
        }
        recorder.close();
        return new Result(backbone.name(), size, batch, steps, Median.of(bare), Median.of(recorded),
                countRecords(runDir), (recordedStart - bareStart) / 1e3);
    }

    /** Milliseconds for {@code steps} training steps. */
    private static double timeSteps(ComputationGraph graph, DataSet data, int steps) {
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            graph.fit(data);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static long countRecords(Path runDir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + StatsFile.of(runDir));
             ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM Updates")) {
            return r.getLong(1);
        }
    }

    private static String report(List<Result> results) {
        StringBuilder s = new StringBuilder("# Cost of recording DL4J training statistics\n\n");
        s.append("Written by `StatsOverheadBenchmark` (").append(java.time.LocalDate.now()).append("): one training ")
                .append("step (every layer trains, Adam, random images), without a listener and with Thaw's ")
                .append("`StatsRecorder` as every run attaches it (one listener throughout, its pace going on), ")
                .append("alternating rounds A B B A in one JVM; median over rounds of a round's mean step time. ")
                .append("Pacing is by wall time, so a recorded round after a bare one starts with a record due: ")
                .append("that errs towards more records than a run makes. 2 cores, nothing else running.\n\n");
        s.append("| model | input | batch | steps per round | step, no stats | step, stats recorded | overhead | ")
                .append("records in all | once per phase start |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            s.append(String.format(Locale.ROOT, "| %s | %d px | %d | %d | %.1f ms | %.1f ms | %+.1f %% | %d | "
                    + "%.2f s |%n", r.model(), r.size(), r.batch(), r.steps(), r.bareMs(), r.recordedMs(),
                    100 * r.overhead(), r.records(), r.startSeconds()));
        }
        s.append("\nOnce per phase start: DL4J's listener collects the model's static information (configuration, ")
                .append("hardware) at its first steps and records the first one; a run pays it once per phase.\n");
        s.append("\nRecords are paced by their cost (`StatsPace`): the next is due once 50 × the last record's cost ")
                .append("(collecting it in the training thread plus writing it in the background) and at least ")
                .append("1 s have passed.\n");
        return s.toString();
    }
}

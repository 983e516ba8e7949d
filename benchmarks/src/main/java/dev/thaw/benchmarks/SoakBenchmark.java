package dev.thaw.benchmarks;

import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.tuning.Charts;
import dev.thaw.tuning.Sweep;
import dev.thaw.tuning.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Does a long job leak? Two long jobs in one JVM, the way a night-long session runs them: a 100-candidate head-only
 * sweep on smallcnn (random search over the learning rate, every candidate a full run: data opened, weights loaded,
 * graphs built, model saved) and one 50-epoch smallcnn run. A sampler records, every second, the process's resident
 * set, the JVM heap live (each sample after a full collection), what lies outside the Java heap (resident set minus the heap's committed size: ND4J's
 * arrays, native libraries, metaspace), open file descriptors and live threads. A leak shows as a line
 * that keeps climbing after the first candidates; flat is the goal. The report compares each figure's median over
 * the second quarter of a job with its median over the last quarter (the first quarter is warm-up: JIT, caches,
 * workspaces), and charts every sample.
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=SoakBenchmark -Dbench.args="--out
 * benchmarks/results/soak"} ({@code --candidates}, {@code --epochs} to shorten it).
 */
public final class SoakBenchmark {

    /** One sample of the process. */
    record Sample(String job, double seconds, double rssMb, double heapMb, double nativeMb, int openFiles,
                  int threads) {
    }

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkArgs o = new BenchmarkArgs(args, HELP, "--out", "--candidates", "--epochs");
        Path out = o.getPath("--out", "benchmarks/results/soak");
        int candidates = o.getInt("--candidates", 100);
        int epochs = o.getInt("--epochs", 50);
        Path work = Files.createTempDirectory("thaw-soak");
        System.setProperty("thaw.cache.dir", work.resolve("cache").toString());
        Files.createDirectories(out);
        PrintWriter quiet = new PrintWriter(new StringWriter());

        // the sweep's candidates freeze a pretrained body, as a real head sweep does
        TrainConfig source = TrainConfig.builder().data("fashion-mnist-sample").input("1x28x28")
                .split(new SplitPlan(42, 0.1, 0.1, 200, "0-4")).epochs(1).name("source").build();
        FineTune.run(source, work.resolve("runs"), quiet);
        TrainConfig target = TrainConfig.builder().data("fashion-mnist-sample").input("1x28x28")
                .split(new SplitPlan(42, 0.1, 0.1, 400, "5-9"))
                .weights("thaw:" + work.resolve("runs/source/model.zip")).build();

        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        String[] job = {"sweep"};
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> samples.add(sample(job[0], start)), 0, 1, TimeUnit.SECONDS);

        SweepSpec sweep = new SweepSpec(List.of("head"), 1e-4, 1e-1, null, null, null, null, null, 2, "random", 1,
                candidates, 0, 1, 0, 1);
        long sweepStart = System.nanoTime();
        Sweep.Outcome outcome = Sweep.run(sweep, target, work.resolve("sweep"), quiet);
        double sweepSeconds = (System.nanoTime() - sweepStart) / 1e9;
        System.out.printf(Locale.ROOT, "sweep: %d candidates in %.0f s%n", outcome.records().size(), sweepSeconds);

        job[0] = "50-epoch run";
        long runStart = System.nanoTime();
        FineTune.run(target.toBuilder().weights("random").strategy("full").lr(1e-3).epochs(epochs).name("long")
                .build(), work.resolve("runs"), quiet);
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        System.out.printf(Locale.ROOT, "run: %d epochs in %.0f s%n", epochs, runSeconds);
        sampler.shutdown();
        sampler.awaitTermination(5, TimeUnit.SECONDS);

        List<Sample> all = List.copyOf(samples);
        String threads = threadsByName();
        System.out.print(threads);
        writeCsv(all, out.resolve("samples.csv"));
        chart(all, out);
        Files.writeString(out.resolve("REPORT.md"), report(all, outcome.records().size(), sweepSeconds, epochs,
                runSeconds, String.join(" ", args)) + "\nLive threads at the end, by name (digits folded):\n\n```\n"
                + threads + "```\n");
        System.out.println("report: " + out.resolve("REPORT.md"));
    }

    /** Live threads by name with digits folded ({@code pool-N-thread-M}), most numerous first: what a leak leaves. */
    private static String threadsByName() {
        Map<String, Long> counts = Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(t -> t.getName().replaceAll("\\d+", "N"), Collectors.counting()));
        StringBuilder sb = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%5d  %s%n", e.getValue(), e.getKey())));
        return sb.toString();
    }

    private static Sample sample(String job, long start) {
        System.gc(); // the heap's live size, not wherever the collector's saw-tooth happens to be
        double rss = Memory.procStatus("VmRSS:") / 1024.0;
        return new Sample(job, (System.nanoTime() - start) / 1e9, rss, Memory.heapUsedMb(),
                rss - (Runtime.getRuntime().totalMemory() >> 20), openFiles(), (int) Memory.procStatus("Threads:"));
    }

    private static int openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void writeCsv(List<Sample> samples, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("job,seconds,rss_mb,heap_mb,outside_heap_mb,open_files,threads\n");
        for (Sample s : samples) {
            sb.append(String.format(Locale.ROOT, "%s,%.1f,%.0f,%.0f,%.0f,%d,%d%n", s.job(), s.seconds(), s.rssMb(),
                    s.heapMb(), s.nativeMb(), s.openFiles(), s.threads()));
        }
        Files.writeString(file, sb);
    }

    private static void chart(List<Sample> samples, Path out) throws IOException {
        XYSeriesCollection memory = new XYSeriesCollection();
        memory.addSeries(series("resident set (MB)", samples, Sample::rssMb));
        memory.addSeries(series("JVM heap live (MB)", samples, Sample::heapMb));
        memory.addSeries(series("outside the Java heap (MB)", samples, Sample::nativeMb));
        Charts.savePng(Charts.lines("Memory over a 100-candidate sweep, then a 50-epoch run", "seconds", "MB",
                memory, false), out.resolve("memory.png"));
        XYSeriesCollection handles = new XYSeriesCollection();
        handles.addSeries(series("open files", samples, s -> s.openFiles()));
        handles.addSeries(series("threads", samples, s -> s.threads()));
        Charts.savePng(Charts.lines("Open files and threads", "seconds", "count", handles, false),
                out.resolve("handles.png"));
    }

    private static XYSeries series(String name, List<Sample> samples, ToDoubleFunction<Sample> value) {
        XYSeries s = new XYSeries(name);
        for (Sample x : samples) {
            s.add(x.seconds(), value.applyAsDouble(x));
        }
        return s;
    }

    private static String report(List<Sample> samples, int candidates, double sweepSeconds, int epochs,
                                 double runSeconds, String args) {
        StringBuilder sb = new StringBuilder("# Soak: does a long job leak?\n\n");
        sb.append(String.format(Locale.ROOT, "One JVM (`-Xmx12g`; %s): a %d-candidate head-only "
                        + "smallcnn sweep (random learning rates, 2 epochs each, 2,000 training images of "
                        + "Fashion-MNIST classes 5-9 from a smallcnn pretrained on 0-4) in %.0f s, then a %d-epoch "
                        + "smallcnn run on the same data in %.0f s; sampled every second (%d samples). Command: "
                        + "`mvn -q compile exec:exec@bench -Dbench=SoakBenchmark -Dbench.args=\"%s\"`.%n%n",
                Machine.describe(), candidates,
                sweepSeconds, epochs, runSeconds, samples.size(), args));
        sb.append("Each sample starts with a full collection (`System.gc()`), so the heap figure is what is live. "
                + "Median of each figure over a job's second quarter and over its last quarter (the first quarter is "
                + "warm-up), and the change:\n\n");
        sb.append("| job | figure | 2nd quarter | last quarter | change |\n|---|---|---|---|---|\n");
        for (String job : samples.stream().map(Sample::job).distinct().toList()) {
            List<Sample> part = samples.stream().filter(s -> s.job().equals(job)).toList();
            row(sb, job, "resident set (MB)", part, Sample::rssMb);
            row(sb, job, "JVM heap live, after a full GC (MB)", part, Sample::heapMb);
            row(sb, job, "outside the Java heap (MB)", part, Sample::nativeMb);
            row(sb, job, "open files", part, s -> s.openFiles());
            row(sb, job, "threads", part, s -> s.threads());
        }
        sb.append("\n![memory](memory.png)\n\n![open files and threads](handles.png)\n\nEvery sample: "
                + "[`samples.csv`](samples.csv).\n");
        return sb.toString();
    }

    /** A figure's median over a job's second quarter against its median over the last quarter. */
    private static void row(StringBuilder sb, String job, String figure, List<Sample> part,
                            ToDoubleFunction<Sample> value) {
        int n = part.size();
        double second = Median.of(part.subList(n / 4, Math.max(n / 4 + 1, n / 2)).stream().mapToDouble(value)
                .boxed().toList());
        double last = Median.of(part.subList(Math.min(n - 1, 3 * n / 4), n).stream().mapToDouble(value).boxed()
                .toList());
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %+.1f %% |%n", job, figure, second, last,
                100 * (last - second) / Math.max(1e-9, second)));
    }

    private static final String HELP = """
            SoakBenchmark: RSS, heap, off-heap, open files and threads over a long sweep and a long run.
              --out DIR          default benchmarks/results/soak
              --candidates N     head-only sweep candidates (default 100)
              --epochs N         epochs of the long run (default 50)
            """;
}

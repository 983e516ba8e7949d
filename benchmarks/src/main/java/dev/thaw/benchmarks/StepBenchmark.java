package dev.thaw.benchmarks;

import dev.thaw.engine.run.Provenance;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.ConvCache;
import dev.thaw.zoo.FreezePoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Question: how long does one DL4J training step take for ResNet50 and VGG16 at the sizes Thaw users train at, and
 * how far is that from PyTorch on the same cores, measured in the same run?
 *
 * <p>Per case (model × input size) and mode: {@code forward} (inference), {@code full} (every layer trains) and
 * {@code last-stage} (frozen up to the last stage: ResNet50 {@code res4}, ResNet18 {@code layer3}, VGG16 {@code block4}; frozen layers still
 * run forward every step). One step is one minibatch (default 16 random images, Adam); the figure is the median of
 * the measured steps after warm-up, with images/s and the peak RSS of a JVM that ran only that case and mode: each
 * runs in its own child JVM, started with this JVM's options, so that one case's memory neither inflates the next
 * one's figure nor adds up to more than the machine has (one JVM for all cases once passed 22 GB). The graph is built
 * with the backbone's own {@link Backbone#build} and the same {@code TransferLearning} freezing Thaw trains with
 * ({@link SyntheticWorkload}), so Thaw's speed defaults
 * apply here as they do in training. Afterwards the PyTorch peer ({@code benchmarks/peer/torch_step.py}) runs the
 * same cases with {@code torch.set_num_threads} equal to ND4J's threads, and the table shows DL4J / PyTorch.
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=StepBenchmark -Dbench.args="--cases resnet50:32,resnet50:64"}
 * (defaults: all five cases, about 15 minutes with the PyTorch peer). {@code --peer none} skips PyTorch.
 */
public final class StepBenchmark {

    private static final String RESULT = "step-result ";
    private static final List<String> MODES = List.of("forward", "full", "last-stage");
    private static final Map<String, String> LAST_STAGE = Map.of("resnet50", "res4", "vgg16", "block4",
            "resnet18", "layer3", "resnet50-tv", "layer3");

    private StepBenchmark() {
    }

    /** @param losses the loss after each training step, warm-up included (empty for {@code forward}) */
    record Result(String model, int size, String mode, double seconds, int steps, long peakRssMb,
                  List<Double> losses) {
        double firstLoss() {
            return losses.isEmpty() ? Double.NaN : losses.get(0);
        }

        double lastLoss() {
            return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        BenchmarkArgs a = new BenchmarkArgs(args, "--cases model:size,..., --batch N, --warmup N, --steps N, "
                + "--max-seconds S, --peer PYTHON|none, --workspaces enabled|none, --cache-mode none|host|device, "
                + "--out FILE", "--cases", "--batch", "--warmup", "--steps", "--max-seconds", "--peer", "--out",
                "--child", "--workspaces", "--cache-mode");
        String cases = a.get("--cases", "resnet50:32,resnet50:64,resnet50:224,vgg16:64,vgg16:224");
        int batch = a.getInt("--batch", 16);
        int warmup = a.getInt("--warmup", 2);
        int steps = a.getInt("--steps", 5);
        double maxSeconds = a.getDouble("--max-seconds", 120);
        String peer = a.get("--peer", "/usr/bin/python3");
        Path out = a.getPath("--out", "benchmarks/results/step.md");
        String child = a.get("--child", null);
        WorkspaceMode workspaces = WorkspaceMode.valueOf(a.get("--workspaces", "enabled").toUpperCase());
        // null: Thaw's default (ConvCache); a value is an experiment against it
        String cacheModeName = a.get("--cache-mode", null);
        CacheMode cacheMode = cacheModeName == null ? null : CacheMode.valueOf(cacheModeName.toUpperCase());
        if (child != null) {
            String[] mcm = child.split(":");
            Result r = measure(Backbones.get(mcm[0]), Integer.parseInt(mcm[1]), mcm[2], batch, warmup, steps,
                    maxSeconds, workspaces, cacheMode);
            System.out.println(RESULT + new ObjectMapper().writeValueAsString(r));
            return;
        }
        int threads = Nd4j.getEnvironment().maxThreads();
        String command = "mvn -q compile exec:exec@bench -Dbench=StepBenchmark -Dbench.args=\""
                + String.join(" ", args) + "\"";
        System.out.printf("DL4J %s, ND4J threads %d, batch %d%n", Provenance.environment().get("dl4j"), threads, batch);
        List<Result> dl4j = new ArrayList<>();
        for (String c : cases.split(",")) {
            for (String mode : MODES) {
                Result r = inChildJvm(c + ":" + mode, args);
                if (r == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "dl4j %s %d px %s: %.3f s/step (%d steps), %.1f img/s, peak RSS %d MB, "
                        + "loss %.4f first, %.4f after %d steps%n", r.model, r.size, r.mode, r.seconds, r.steps,
                        batch / r.seconds, r.peakRssMb, r.firstLoss(), r.lastLoss(), r.losses.size());
                dl4j.add(r);
            }
        }
        Map<String, JsonNode> torch = "none".equals(peer) ? Map.of()
                : runPeer(peer, cases, batch, warmup, steps, maxSeconds, threads);
        String md = table(dl4j, torch, batch, threads, command);
        System.out.print(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println("written to " + out);
    }

    /** Runs one case and mode in a fresh JVM with this JVM's options; null (reported) when that JVM fails. */
    private static Result inChildJvm(String caseAndMode, String[] args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StepBenchmark.class.getName()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--child", caseAndMode));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Result result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    result = new ObjectMapper().readValue(line.substring(RESULT.length()), Result.class);
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            System.out.println("dl4j " + caseAndMode + ": the child JVM failed (exit " + p.exitValue()
                    + "; out of memory?)");
        }
        return result;
    }

    static Result measure(Backbone backbone, int size, String mode, int batch, int warmup, int steps,
            double maxSeconds, WorkspaceMode workspaces, CacheMode cacheMode) {
        FreezePoint frozen = "last-stage".equals(mode)
                ? backbone.freezePoints().resolve(LAST_STAGE.get(backbone.name())) : FreezePoint.NONE;
        ComputationGraph net = SyntheticWorkload.graph(backbone, size, frozen, 1e-4);
        // DL4J's default, ENABLED, reuses activation memory across iterations; NONE allocates afresh (an experiment).
        net.getConfiguration().setTrainingWorkspaceMode(workspaces);
        net.getConfiguration().setInferenceWorkspaceMode(workspaces);
        if (cacheMode != null) { // an experiment against Thaw's default
            ConvCache.apply(net, cacheMode);
        }
        Nd4j.getRandom().setSeed(1);
        DataSet ds = SyntheticWorkload.batch(backbone, size, batch, 0);
        INDArray x = ds.getFeatures();
        List<Double> losses = new ArrayList<>();
        Runnable step = "forward".equals(mode) ? () -> net.outputSingle(x) : () -> {
            net.fit(ds);
            losses.add(net.score());
        };
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        List<Double> times = new ArrayList<>();
        long start = System.nanoTime();
        while (times.size() < steps && (times.size() < 2 || (System.nanoTime() - start) / 1e9 < maxSeconds)) {
            long t0 = System.nanoTime();
            step.run();
            times.add((System.nanoTime() - t0) / 1e9);
        }
        return new Result(backbone.name(), size, mode, Median.of(times), times.size(), Memory.peakRssMb(), losses);
    }

    private static Map<String, JsonNode> runPeer(String python, String cases, int batch, int warmup, int steps,
            double maxSeconds, int threads) throws IOException, InterruptedException {
        List<JsonNode> lines = PythonPeer.run(python, "benchmarks/peer/torch_step.py", List.of("--json", "--cases",
                cases, "--batch", String.valueOf(batch), "--warmup", String.valueOf(warmup), "--steps",
                String.valueOf(steps), "--max-seconds", String.valueOf(maxSeconds), "--threads",
                String.valueOf(threads)));
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode n : lines) {
            results.put(key(n.get("model").asText(), n.get("size").asInt(), n.get("mode").asText()), n);
        }
        return results;
    }

    private static String key(String model, int size, String mode) {
        return model + ":" + size + ":" + mode;
    }

    private static String table(List<Result> dl4j, Map<String, JsonNode> torch, int batch, int threads,
            String command) {
        StringBuilder md = new StringBuilder("# Training step: DL4J (Thaw defaults) vs PyTorch, same machine, same run\n\n");
        String torchVersion = torch.isEmpty() ? "not run" : torch.values().iterator().next().get("framework").asText();
        md.append(String.format(Locale.ROOT, "Machine: %s. DL4J %s, ND4J threads %d; %s with "
                        + "torch.set_num_threads(%d). Batch %d, Adam, random inputs; median step after warm-up. "
                        + "Command: `%s`.%n%n", Machine.describe(), Provenance.environment().get("dl4j"), threads, torchVersion, threads, batch, command));
        md.append("| model | input | mode | DL4J s/step | DL4J img/s | DL4J peak RSS | PyTorch s/step | PyTorch img/s "
                + "| PyTorch peak RSS | DL4J / PyTorch |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : dl4j) {
            JsonNode t = torch.get(key(r.model, r.size, r.mode));
            String peerCols = t == null ? "— | — | — | —" : String.format(Locale.ROOT, "%.3f | %.1f | %d MB | %.1fx",
                    t.get("seconds").asDouble(), t.get("images_per_s").asDouble(), t.get("peak_rss_mb").asLong(),
                    r.seconds / t.get("seconds").asDouble());
            md.append(String.format(Locale.ROOT, "| %s | %d px | %s | %.3f | %.1f | %d MB | %s |%n", r.model, r.size,
                    r.mode, r.seconds, batch / r.seconds, r.peakRssMb, peerCols));
        }
        return md.toString();
    }
}

package dev.thaw.benchmarks;

import dev.thaw.engine.run.Provenance;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.FreezePoint;
import dev.thaw.zoo.OpTally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Question: where does a full ResNet50 training step spend its time, op by op, in DL4J and in PyTorch on the same
 * cores, and does DL4J's gap come from the arithmetic or from a cost paid per op call?
 *
 * <p>DL4J side: ND4J's op profiler times every native op the step executes ({@link OpTally}), summed per op name
 * and grouped into conv / batch-norm forward and backward, the Adam update, the other native ops, and what is left
 * of the step's wall time outside native ops (DL4J's Java: graph walk, workspaces, and the profiler's own bookkeeping). PyTorch side
 * ({@code benchmarks/peer/torch_ops.py}): the same step under {@code torch.profiler}, self time per aten op, same
 * groups. Per group: calls per step, ms per step and µs per call; the per-call figure at 32 vs 64 px shows whether a
 * group's time follows the arithmetic (4× the pixels) or stays put (a fixed cost per call).
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=OpBreakdown -Dbench.args="--cases resnet50:32,resnet50:64"}
 * (about 3 minutes with the peer).
 */
public final class OpBreakdown {

    /** Groups of native ops, in table order; anything unlisted is "other native ops". */
    private static final Map<String, String> GROUPS = Map.of("conv2d", "conv forward", "conv2d_bp", "conv backward",
            "batchnorm", "batch norm forward", "batchnorm_bp", "batch norm backward", "adam_updater", "Adam update");
    static final List<String> ORDER = List.of("conv forward", "conv backward", "batch norm forward",
            "batch norm backward", "Adam update", "other native ops", "outside native ops");

    private OpBreakdown() {
    }

    /** One group of one case: per step. */
    record Group(double calls, double ms) {
    }

    record Case(String model, int size, double stepMs, double profiledStepMs, Map<String, Group> groups,
                Map<String, OpTally.Op> ops, int steps) {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        BenchmarkArgs a = new BenchmarkArgs(args, "--cases model:size,..., --batch N, --warmup N, --steps N, "
                + "--peer PYTHON|none, --out FILE", "--cases", "--batch", "--warmup", "--steps", "--peer", "--out");
        String cases = a.get("--cases", "resnet50:32,resnet50:64");
        int batch = a.getInt("--batch", 16);
        int warmup = a.getInt("--warmup", 3);
        int steps = a.getInt("--steps", 10);
        String peer = a.get("--peer", "/usr/bin/python3");
        Path out = a.getPath("--out", "benchmarks/results/ops.md");
        int threads = Nd4j.getEnvironment().maxThreads();
        // PyTorch first: started after this JVM had run its own cases, the peer once ran 30-40 % slower than alone
        // (32 px step 154 vs 111 ms), the JVM's threads still busy beside it.
        Map<String, JsonNode> torch = new LinkedHashMap<>();
        if (!"none".equals(peer)) {
            for (JsonNode n : PythonPeer.run(peer, "benchmarks/peer/torch_ops.py", List.of("--cases", cases,
                    "--batch", String.valueOf(batch), "--warmup", String.valueOf(warmup), "--steps",
                    String.valueOf(steps), "--threads", String.valueOf(threads)))) {
                torch.put(n.get("model").asText() + ":" + n.get("size").asInt(), n);
            }
        }
        List<Case> dl4j = new ArrayList<>();
        for (String c : cases.split(",")) {
            String[] ms = c.split(":");
            Case r = measure(Backbones.get(ms[0]), Integer.parseInt(ms[1]), batch, warmup, steps);
            System.out.printf(Locale.ROOT, "dl4j %s %d px: %.1f ms/step, %.1f ms profiled%n", r.model, r.size,
                    r.stepMs, r.profiledStepMs);
            dl4j.add(r);
        }
        String md = report(dl4j, torch, batch, threads, "mvn -q compile exec:exec@bench -Dbench=OpBreakdown "
                + "-Dbench.args=\"" + String.join(" ", args) + "\"");
        System.out.print(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println("written to " + out);
    }

    static Case measure(Backbone backbone, int size, int batch, int warmup, int steps) {
        ComputationGraph net = SyntheticWorkload.graph(backbone, size, FreezePoint.NONE, 1e-4);
        Nd4j.getRandom().setSeed(1);
        DataSet ds = SyntheticWorkload.batch(backbone, size, batch, 0);
        for (int i = 0; i < warmup; i++) {
            net.fit(ds);
        }
        double plain = medianStepMs(net, ds, steps);

        long t0 = System.nanoTime();
        OpTally tally = OpTally.during(() -> {
            for (int i = 0; i < steps; i++) {
                net.fit(ds);
            }
        });
        double profiled = (System.nanoTime() - t0) / 1e6 / steps;

        Map<String, double[]> sums = new LinkedHashMap<>();
        ORDER.forEach(g -> sums.put(g, new double[2]));
        double opMs = 0;
        for (Map.Entry<String, OpTally.Op> e : tally.ops().entrySet()) {
            double[] s = sums.get(GROUPS.getOrDefault(e.getKey(), "other native ops"));
            s[0] += e.getValue().calls() / (double) steps;
            s[1] += e.getValue().nanos() / 1e6 / steps;
            opMs += e.getValue().nanos() / 1e6 / steps;
        }
        sums.get("outside native ops")[1] = profiled - opMs;
        Map<String, Group> groups = new LinkedHashMap<>();
        sums.forEach((g, s) -> groups.put(g, new Group(s[0], s[1])));
        return new Case(backbone.name(), size, plain, profiled, groups, tally.ops(), steps);
    }

    private static double medianStepMs(ComputationGraph net, DataSet ds, int steps) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            net.fit(ds);
            times.add((System.nanoTime() - t0) / 1e6);
        }
        return Median.of(times);
    }

    private static String report(List<Case> dl4j, Map<String, JsonNode> torch, int batch, int threads,
                                 String command) {
        StringBuilder md = new StringBuilder("# Where a training step's time goes: DL4J ops vs PyTorch ops\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %s, DL4J %s (Thaw defaults: oneDNN helpers on), "
                        + "ND4J threads %d; PyTorch with torch.set_num_threads(%d). Full training step (every layer "
                        + "trains), batch %d, Adam, random inputs. Command: `%s`.%n%n",
                Machine.describe(), Provenance.environment().get("dl4j"), threads, threads, batch, command));
        for (Case c : dl4j) {
            JsonNode t = torch.get(c.model + ":" + c.size);
            md.append(String.format(Locale.ROOT, "## %s at %d px%n%nDL4J step %.1f ms (median, profiler off); "
                    + "%.1f ms with the op profiler on (mean of %d steps; the table's rows add up to this).%s%n%n",
                    c.model, c.size, c.stepMs, c.profiledStepMs, c.steps, t == null ? " PyTorch: not run."
                            : String.format(Locale.ROOT, " PyTorch step %.1f ms (median, profiler off); %.1f ms "
                            + "under its profiler.", t.get("step_ms").asDouble(), t.get("profiled_step_ms")
                            .asDouble())));
            md.append("| group | DL4J calls/step | DL4J ms/step | DL4J µs/call | PyTorch calls/step | PyTorch ms/step "
                    + "| PyTorch µs/call | DL4J / PyTorch time |\n|---|---|---|---|---|---|---|---|\n");
            for (String g : ORDER) {
                Group d = c.groups.get(g);
                JsonNode p = t == null ? null : t.get("groups").get(g);
                double peerMs = p == null ? 0 : p.get("ms").asDouble();
                String ratio = peerMs < 0.05 ? "—" : String.format(Locale.ROOT, "%.1fx", d.ms / peerMs);
                String peerCols = p == null ? "— | — | — | —" : String.format(Locale.ROOT, "%s | %.1f | %s | %s",
                        count(p.get("calls").asDouble()), peerMs, perCall(peerMs, p.get("calls").asDouble()), ratio);
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %s |%n", g, count(d.calls), d.ms,
                        perCall(d.ms, d.calls), peerCols));
            }
            md.append("\nDL4J native ops by name (per step): ");
            List<String> parts = new ArrayList<>();
            c.ops.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().nanos(), a.getValue().nanos()))
                    .limit(12).forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.0f× %.1f ms", e.getKey(),
                            e.getValue().calls() / (double) c.steps, e.getValue().nanos() / 1e6 / c.steps)));
            md.append(String.join(", ", parts)).append(".\n\n");
        }
        return md.toString();
    }

    private static String count(double calls) {
        return calls == 0 ? "—" : String.format(Locale.ROOT, "%.0f", calls);
    }

    private static String perCall(double ms, double calls) {
        return calls == 0 ? "—" : String.format(Locale.ROOT, "%.0f", 1000 * ms / calls);
    }
}

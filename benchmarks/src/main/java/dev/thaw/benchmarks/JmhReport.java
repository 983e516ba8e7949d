package dev.thaw.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Turns a JMH JSON result file into a Markdown table: one row per benchmark and parameter set, with the score,
 * its 99.9 % error, for per-minibatch benchmarks with a {@code batch} parameter images/s, and the memory columns of
 * {@link PeakMemoryProfiler} (peak RSS of the case's fork, Java heap).
 *
 * <p>Run: {@code mvn -q compile exec:exec@bench -Dbench=JmhReport -Dbench.args="step.json step.md"}
 */
public final class JmhReport {

    private JmhReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: JmhReport RESULT.json OUT.md");
        }
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        StringBuilder md = new StringBuilder("| benchmark | parameters | score | error (99.9 %) | unit | images/s "
                + "| peak RSS | Java heap |\n|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : results) {
            String name = r.get("benchmark").asText().replaceAll(".*\\.(\\w+\\.\\w+)$", "$1");
            StringBuilder params = new StringBuilder();
            double batch = Double.NaN;
            JsonNode p = r.get("params");
            if (p != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=')
                            .append(e.getValue().asText());
                    if (e.getKey().equals("batch")) {
                        batch = e.getValue().asDouble();
                    }
                }
            }
            JsonNode m = r.get("primaryMetric");
            double score = m.get("score").asDouble();
            String unit = m.get("scoreUnit").asText();
            String imagesPerSecond = "";
            if (!Double.isNaN(batch) && unit.equals("ms/op")) {
                imagesPerSecond = String.format(Locale.ROOT, "%.1f", batch / (score / 1000));
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %s | %s | %s | %s |%n", name, params,
                    score, m.get("scoreError").asDouble(), unit, imagesPerSecond,
                    memory(r, PeakMemoryProfiler.PEAK_RSS), memory(r, PeakMemoryProfiler.HEAP)));
        }
        Files.writeString(Path.of(args[1]), md.toString());
        System.out.print(md);
    }

    /** A {@link PeakMemoryProfiler} figure of one result, or a dash for runs made without it. */
    private static String memory(JsonNode result, String metric) {
        JsonNode metrics = result.path("secondaryMetrics");
        JsonNode m = metrics.has(metric) ? metrics.get(metric) : metrics.path("\u00b7" + metric);
        return m.isMissingNode() ? "—" : String.format(Locale.ROOT, "%.0f MB", m.get("score").asDouble());
    }
}

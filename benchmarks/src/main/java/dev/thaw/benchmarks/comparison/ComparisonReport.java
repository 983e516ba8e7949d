package dev.thaw.benchmarks.comparison;

import dev.thaw.benchmarks.Machine;
import dev.thaw.engine.run.Provenance;
import dev.thaw.tuning.Charts;
import dev.thaw.tuning.HtmlPage;
import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Writes a comparison's {@code REPORT.md}, {@code report.html} and charts: accuracy vs freeze depth per label
 * budget (the shape of Yosinski et al. 2014's transfer curve), accuracy vs labels per class per strategy, wall time
 * and trainable parameters per strategy, and a few sentences on which strategy wins where. Means ± sample standard
 * deviation over seeds; every number comes from {@code results.jsonl}.
 */
final class ComparisonReport {

    private ComparisonReport() {
    }

    /** Mean and spread of one (strategy, budget) cell. */
    record Cell(double mean, double std, int n, double seconds, double trainTestSeconds, long params) {
        static Optional<Cell> of(List<ComparisonRun> runs) {
            if (runs.isEmpty()) {
                return Optional.empty();
            }
            double mean = runs.stream().mapToDouble(ComparisonRun::accuracy).average().orElseThrow();
            double var = runs.size() < 2 ? 0 : runs.stream().mapToDouble(r -> Math.pow(r.accuracy() - mean, 2))
                    .sum() / (runs.size() - 1);
            return Optional.of(new Cell(mean, Math.sqrt(var), runs.size(),
                    runs.stream().mapToDouble(ComparisonRun::seconds).average().orElseThrow(),
                    runs.stream().mapToDouble(r -> r.trainSeconds() + r.testSeconds()).average().orElseThrow(),
                    runs.get(0).trainableParams()));
        }

        String text() {
            return n > 1 ? String.format(Locale.ROOT, "%.3f ± %.3f", mean, std) : String.format(Locale.ROOT, "%.3f", mean);
        }
    }

    static void write(Path out, ComparisonPlan plan, StrategyComparison.Pretraining pre, List<ComparisonRun> runs,
            Map<Integer, Integer> labelsPerClass, String command, String note, double seconds, boolean complete)
            throws IOException {
        Optional<JsonNode> peerPretraining = PeerTransfer.pretraining(out);
        Grid grid = new Grid(plan, runs);
        boolean depthCurve = plan.strategies().stream().anyMatch(e -> e.depth() >= 0);
        if (depthCurve) {
            Charts.savePng(depthChart(plan, grid), out.resolve("accuracy-vs-depth.png"));
        }
        Charts.savePng(labelsChart(plan, grid, labelsPerClass), out.resolve("accuracy-vs-labels.png"));
        Charts.savePng(costChart(plan, grid, false), out.resolve("wall-time.png"));
        Charts.savePng(costChart(plan, grid, true), out.resolve("trainable-params.png"));

        Map<String, String> env = Provenance.environment();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# FMNIST-AB: freeze strategies compared, %s at %s%n%n", plan.model(),
                plan.input()));
        md.append(complete ? "" : "**Incomplete: the comparison is still running or was stopped; re-run the command "
                + "to finish it.**\n\n");
        String source = pre.given() && ComparisonPlan.PEER_WEIGHTS.equals(plan.weights())
                ? plan.model() + " started from the model the PyTorch peer pretrained on A" + peerPretraining
                        .map(p -> String.format(Locale.ROOT, " for %d epoch(s) (source test accuracy %.4f, %.0f s)",
                                p.get("epochs").asInt(), p.get("test_accuracy").asDouble(),
                                p.get("seconds").asDouble())).orElse("") + ", read with `--weights torchvision:`"
                : pre.given()
                ? String.format(Locale.ROOT, "%s started from `%s` (pretrained on A elsewhere)", plan.model(),
                        pre.model())
                : String.format(Locale.ROOT, "%s pretrained on A for %d epochs at lr %.0e (source test accuracy %.4f, "
                        + "%.0f s)", plan.model(), plan.sourceEpochs(), plan.sourceLearningRate(), pre.accuracy(),
                        pre.seconds());
        md.append(String.format(Locale.ROOT, "Source task A = Fashion-MNIST classes %s, target task B = classes %s. "
                        + "%s, then transferred to B by each strategy with %s labels per class, %d target epochs "
                        + "each, seeds 1..%d (split, label draw, head init)%s. Scores: test accuracy on B's test "
                        + "split, mean ± std over seeds.%n%n",
                ComparisonPlan.SOURCE_CLASSES, ComparisonPlan.TARGET_CLASSES, source,
                plan.budgets().stream().map(ComparisonPlan::budgetName).collect(Collectors.joining(", ")),
                plan.targetEpochs(), plan.seeds(), plan.valPerClass() > 0
                        ? ", validating on " + plan.valPerClass() + " images per class" : ""));
        if (!plan.peerRecipes().isEmpty()) {
            md.append(peerNote(plan, pre, peerPretraining)).append("\n\n");
        }
        double runSeconds = runs.stream().filter(r -> !r.strategy().startsWith(ComparisonPlan.PEER))
                .mapToDouble(ComparisonRun::seconds).sum();
        md.append(String.format(Locale.ROOT, "Data: `%s`. Machine: %s, DL4J %s (%s). Run time: "
                        + "%.1f min (pretraining %.0f s + %d transfer runs %.1f min; this invocation %.1f min). "
                        + "Command: `%s`%n%n", plan.data(), Machine.describe(),
                env.get("dl4j"), env.get("nd4jBackend"), (pre.seconds() + runSeconds) / 60, pre.seconds(),
                runs.size(), runSeconds / 60, seconds / 60, command));
        if (!note.isBlank()) {
            md.append("Scaling: ").append(note).append("\n\n");
        }
        md.append("## Which strategy wins where\n\n").append(verdict(plan, grid)).append('\n');
        md.append("## Test accuracy\n\n").append(accuracyTable(plan, grid, labelsPerClass)).append('\n');
        md.append(depthCurve ? "![accuracy vs freeze depth](accuracy-vs-depth.png)\n\n" : "");
        md.append("![accuracy vs labels per class](accuracy-vs-labels.png)\n\n");
        md.append("## Cost\n\n").append(costTable(plan, grid)).append('\n');
        md.append("![wall time](wall-time.png) ![trainable parameters](trainable-params.png)\n\n");
        md.append("Learning rates: ").append(plan.strategies().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.0e", e.name(), e.lr())).collect(Collectors.joining(", ")))
                .append(". Scratch = full training from random weights. BatchNorm, unless a row says +bn-train or "
                        + "+bn-frozen: Thaw's default, frozen for pretrained ResNets below 50 training images per "
                        + "class, trained otherwise. Raw runs: `results.jsonl`; per-run folders (config, metrics, "
                        + "evaluation) under `runs/`.\n");
        Files.writeString(out.resolve("REPORT.md"), md.toString());
        Files.writeString(out.resolve("report.html"), html(md.toString()));
    }

    /** All cells of the comparison, looked up by strategy and budget. */
    private record Grid(ComparisonPlan plan, List<ComparisonRun> runs) {
        Optional<Cell> cell(String strategy, int budget) {
            return Cell.of(runs.stream().filter(r -> r.strategy().equals(strategy) && r.perClass() == budget)
                    .toList());
        }

        /** Trainable parameters of a strategy (the same at every budget), if it has run at all. */
        Optional<Long> params(String strategy) {
            return plan.budgets().stream().map(b -> cell(strategy, b)).flatMap(Optional::stream).map(Cell::params)
                    .findFirst();
        }
    }

    private static String verdict(ComparisonPlan plan, Grid grid) {
        StringBuilder sb = new StringBuilder();
        for (int budget : plan.budgets()) {
            List<Map.Entry<String, Cell>> ranked = new ArrayList<>();
            for (ComparisonPlan.Entry e : plan.rows()) {
                grid.cell(e.name(), budget).ifPresent(c -> ranked.add(Map.entry(e.name(), c)));
            }
            if (ranked.isEmpty()) {
                continue;
            }
            ranked.sort(Comparator.comparingDouble((Map.Entry<String, Cell> m) -> m.getValue().mean()).reversed());
            Map.Entry<String, Cell> best = ranked.get(0);
            sb.append(String.format(Locale.ROOT, "- **%s labels per class**: %s wins with %s", 
                    ComparisonPlan.budgetName(budget), best.getKey(), best.getValue().text()));
            if (ranked.size() > 1) {
                Map.Entry<String, Cell> second = ranked.get(1);
                double gap = best.getValue().mean() - second.getValue().mean();
                double noise = Math.max(best.getValue().std(), second.getValue().std());
                sb.append(String.format(Locale.ROOT, ", %.1f points ahead of %s%s", gap * 100, second.getKey(),
                        best.getValue().n() > 1 && gap <= noise ? " (within one standard deviation: a tie)" : ""));
            }
            grid.cell("scratch", budget).filter(c -> !best.getKey().equals("scratch")).ifPresent(s ->
                    sb.append(String.format(Locale.ROOT, "; transfer beats scratch by %.1f points",
                            (best.getValue().mean() - s.mean()) * 100)));
            sb.append(".\n");
        }
        return sb.toString();
    }

    private static String accuracyTable(ComparisonPlan plan, Grid grid, Map<Integer, Integer> labelsPerClass) {
        StringBuilder sb = new StringBuilder("| strategy |");
        plan.budgets().forEach(b -> sb.append(b == 0 ? String.format(" all (%d/class) |", labelsPerClass.get(b))
                : " " + b + "/class |"));
        sb.append("\n|---|").append("---|".repeat(plan.budgets().size())).append('\n');
        for (ComparisonPlan.Entry e : plan.rows()) {
            sb.append("| ").append(e.name()).append(" |");
            for (int b : plan.budgets()) {
                Optional<Cell> c = grid.cell(e.name(), b);
                boolean best = c.isPresent() && plan.rows().stream().map(o -> grid.cell(o.name(), b))
                        .flatMap(Optional::stream).allMatch(o -> o.mean() <= c.get().mean());
                sb.append(' ').append(c.map(x -> best ? "**" + x.text() + "**" : x.text()).orElse("—")).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Trainable parameters and, per budget, the wall time of training + testing (what both sides measure alike:
     * from the trained model's set-up to its test score) and of Thaw's whole run (data, weights, saving).
     */
    private static String costTable(ComparisonPlan plan, Grid grid) {
        StringBuilder sb = new StringBuilder("| strategy | trainable params |");
        plan.budgets().forEach(b -> sb.append(" train + test, ").append(ComparisonPlan.budgetName(b))
                .append("/class | whole run |"));
        sb.append("\n|---|---|").append("---|---|".repeat(plan.budgets().size())).append('\n');
        for (ComparisonPlan.Entry e : plan.rows()) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d |", e.name(), grid.params(e.name()).orElse(0L)));
            for (int b : plan.budgets()) {
                sb.append(grid.cell(e.name(), b).map(c -> String.format(Locale.ROOT, " %s | %s |",
                        seconds(c.trainTestSeconds()), e.peer() ? "—" : seconds(c.seconds()))).orElse(" — | — |"));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "—" : String.format(Locale.ROOT, "%.1f s", s);
    }

    /** Where the peer's rows come from, and how they line up with Thaw's. */
    private static String peerNote(ComparisonPlan plan, StrategyComparison.Pretraining pre,
                                   Optional<JsonNode> peerPretraining) {
        String start = pre.given() && pre.model().startsWith("torchvision:")
                ? "from the same weights"
                : peerPretraining.map(p -> String.format(Locale.ROOT, "from its own torchvision model pretrained on "
                        + "A for %d epoch(s) by PyTorch (source test accuracy %.4f, %.0f s)", p.get("epochs").asInt(),
                        p.get("test_accuracy").asDouble(), p.get("seconds").asDouble()))
                .orElse("from its own torchvision model pretrained on A by PyTorch");
        return "Rows `pytorch:…` are the PyTorch peer (`benchmarks/peer/torch_transfer.py`, Debian's PyTorch, same "
                + "cores, run after Thaw's rows in the same invocation), " + start + ", trained on exactly the "
                + "images Thaw's run of the same budget and seed trained on, scored on the same test split. Its "
                + "recipes: head = the body frozen in eval mode, head lr 1e-3; finetune = everything in train "
                + "mode, body 1e-4, head 1e-3; finetune-bn-frozen = the same with every BatchNorm in eval mode and "
                + "its weight and bias fixed; scratch = random weights, 1e-3. Its \"train + test\" time leaves out "
                + "reading and resizing the images, which it does once for all runs.";
    }

    private static JFreeChart depthChart(ComparisonPlan plan, Grid grid) {
        List<ComparisonPlan.Entry> curve = plan.strategies().stream().filter(e -> e.depth() >= 0)
                .sorted(Comparator.comparingInt(ComparisonPlan.Entry::depth)).toList();
        XYSeriesCollection data = new XYSeriesCollection();
        for (int b : plan.budgets()) {
            XYSeries s = new XYSeries(ComparisonPlan.budgetName(b) + " labels/class");
            XYSeries scratch = new XYSeries("scratch, " + ComparisonPlan.budgetName(b) + "/class");
            for (ComparisonPlan.Entry e : curve) {
                grid.cell(e.name(), b).ifPresent(c -> s.add(e.depth(), c.mean()));
            }
            grid.cell("scratch", b).ifPresent(c -> {
                scratch.add(curve.get(0).depth(), c.mean());
                scratch.add(curve.get(curve.size() - 1).depth(), c.mean());
            });
            data.addSeries(s);
            if (!scratch.isEmpty()) {
                data.addSeries(scratch);
            }
        }
        JFreeChart chart = Charts.lines("Test accuracy vs freeze depth (dashed: scratch)",
                "frozen up to (0 = full fine-tuning)", "test accuracy", data, false);
        String[] names = new String[curve.get(curve.size() - 1).depth() + 1];
        for (int d = 0; d < names.length; d++) {
            int depth = d;
            names[d] = curve.stream().filter(e -> e.depth() == depth).map(e -> e.name().replace("freeze:", ""))
                    .findFirst().orElse(String.valueOf(d));
        }
        chart.getXYPlot().setDomainAxis(new SymbolAxis("frozen up to", names));
        for (int i = 0; i < data.getSeriesCount(); i++) {
            if (data.getSeries(i).getKey().toString().startsWith("scratch")) {
                chart.getXYPlot().getRenderer().setSeriesStroke(i, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                chart.getXYPlot().getRenderer().setSeriesPaint(i, chart.getXYPlot().getRenderer().getItemPaint(i - 1, 0));
            }
        }
        return chart;
    }

    private static JFreeChart labelsChart(ComparisonPlan plan, Grid grid, Map<Integer, Integer> labelsPerClass) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (ComparisonPlan.Entry e : plan.rows()) {
            XYSeries s = new XYSeries(e.name());
            for (int b : plan.budgets()) {
                grid.cell(e.name(), b).ifPresent(c -> s.add((double) labelsPerClass.get(b), c.mean()));
            }
            data.addSeries(s);
        }
        return Charts.lines("Test accuracy vs labels per class", "labels per class", "test accuracy", data, true);
    }

    private static JFreeChart costChart(ComparisonPlan plan, Grid grid, boolean params) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        int budget = plan.budgets().get(plan.budgets().size() - 1);
        for (ComparisonPlan.Entry e : plan.rows()) {
            grid.params(e.name()).ifPresent(p -> data.addValue(params ? p : grid.cell(e.name(), budget)
                    .map(Cell::seconds).orElse(0.0), params ? "trainable parameters" : "seconds", e.name()));
        }
        JFreeChart chart = ChartFactory.createBarChart(params ? "Trainable parameters per strategy"
                        : "Wall time per run, " + ComparisonPlan.budgetName(budget) + " labels/class", "strategy",
                params ? "parameters (log)" : "seconds", data, PlotOrientation.HORIZONTAL, false, false, false);
        if (params) {
            chart.getCategoryPlot().setRangeAxis(new LogAxis("parameters (log)"));
        }
        chart.getCategoryPlot().setBackgroundPaint(java.awt.Color.WHITE);
        return chart;
    }

    /** The Markdown report as HTML: headings, paragraphs, lists, tables and images, nothing more. */
    private static String html(String md) {
        StringBuilder sb = new StringBuilder();
        boolean inTable = false;
        boolean inList = false;
        for (String line : md.split("\n")) {
            String l = inline(HtmlPage.escape(line));
            if (inTable && !line.startsWith("|")) {
                sb.append("</table>");
                inTable = false;
            }
            if (inList && !line.startsWith("- ")) {
                sb.append("</ul>");
                inList = false;
            }
            if (line.startsWith("# ")) {
                sb.append("<h1>").append(l.substring(2)).append("</h1>");
            } else if (line.startsWith("## ")) {
                sb.append("<h2>").append(l.substring(3)).append("</h2>");
            } else if (line.startsWith("|---")) {
                continue;
            } else if (line.startsWith("|")) {
                String tag = inTable ? "td" : "th";
                sb.append(inTable ? "" : "<table>").append("<tr>");
                for (String cell : l.substring(1, l.length() - 1).split("\\|")) {
                    sb.append('<').append(tag).append('>').append(cell.trim()).append("</").append(tag).append('>');
                }
                sb.append("</tr>");
                inTable = true;
            } else if (line.startsWith("- ")) {
                sb.append(inList ? "" : "<ul>").append("<li>").append(l.substring(2)).append("</li>");
                inList = true;
            } else if (!line.isBlank()) {
                sb.append("<p>").append(l).append("</p>");
            }
        }
        return HtmlPage.of("FMNIST-AB comparison", sb.toString());
    }

    private static String inline(String s) {
        return s.replaceAll("!\\[([^]]*)]\\(([^)]*)\\)", "<img src=\"$2\" alt=\"$1\">")
                .replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>").replaceAll("`([^`]+)`", "<code>$1</code>");
    }
}

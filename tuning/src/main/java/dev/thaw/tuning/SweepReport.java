package dev.thaw.tuning;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The sweep's report: a ranked table of candidates ({@code report.md}, {@code report.html}), validation accuracy
 * against learning rate per freeze point ({@code score-vs-lr.png}) and a freeze point × learning rate heatmap
 * ({@code heatmap.png}). Written from {@code results.jsonl} alone, so it can be redone from any sweep folder.
 */
public final class SweepReport {

    private SweepReport() {
    }

    /** Regenerates the report of an existing sweep folder. */
    public static void rewrite(Path dir) {
        if (!Files.exists(dir.resolve("results.jsonl"))) {
            throw new IllegalArgumentException(dir + " is not a sweep folder (no results.jsonl)");
        }
        List<CandidateRecord> records = new ResultsLog<>(dir.resolve("results.jsonl"), CandidateRecord.class).all();
        write(dir, records, Sweep.best(records));
    }

    static void write(Path dir, List<CandidateRecord> records, Optional<CandidateRecord> best) {
        List<CandidateRecord> finals = finalRecords(records);
        try {
            Map<?, RateFinder.Test> tests = RateFinder.read(dir);
            Files.writeString(dir.resolve("report.md"), markdown(finals, records, best) + rateTests(tests.values()));
            if (!tests.isEmpty()) {
                Charts.savePng(RateFinder.chart(tests.values()), dir.resolve("lr-find.png"));
            }
            Files.writeString(dir.resolve("report.html"), html(finals, best));
            List<CandidateRecord> ok = finals.stream().filter(CandidateRecord::ok).toList();
            if (!ok.isEmpty()) {
                Charts.savePng(scoreVsLr(ok), dir.resolve("score-vs-lr.png"));
                ImageIO.write(heatmap(ok), "png", dir.resolve("heatmap.png").toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep report in " + dir, e);
        }
    }

    /** Each candidate's record at its largest budget (its last rung), best first. */
    static List<CandidateRecord> finalRecords(List<CandidateRecord> records) {
        Map<Integer, CandidateRecord> last = new LinkedHashMap<>();
        for (CandidateRecord r : records) {
            CandidateRecord prev = last.get(r.index());
            // a finished record replaces an interrupted one of the same rung (the resumed training)
            if (prev == null || r.rung() > prev.rung() || r.rung() == prev.rung() && prev.interrupted()) {
                last.put(r.index(), r);
            }
        }
        List<CandidateRecord> out = new ArrayList<>(last.values());
        out.sort(Comparator.comparing((CandidateRecord r) -> !r.ok()).thenComparing(CandidateRecord::rung,
                Comparator.reverseOrder()).thenComparing(CandidateRecord::score, Comparator.reverseOrder()));
        return out;
    }

    private static String markdown(List<CandidateRecord> finals, List<CandidateRecord> all,
                                   Optional<CandidateRecord> best) {
        StringBuilder sb = new StringBuilder("# Sweep report\n\n");
        double seconds = all.stream().mapToDouble(CandidateRecord::seconds).sum();
        int computed = all.stream().mapToInt(CandidateRecord::featuresComputed).sum();
        int reused = all.stream().mapToInt(CandidateRecord::featuresReused).sum();
        sb.append(String.format(Locale.ROOT, "%d candidates, %d training runs, %.0f s of training; feature cache: "
                + "%d featurizations computed, %d reused.%n%n", finals.size(), all.size(), seconds, computed, reused));
        best.ifPresent(b -> sb.append(String.format(Locale.ROOT, "Best: c%03d, %s, lr %.2e, validation accuracy "
                + "%.4f; exported to `best/` (use with `evaluate` and `predict`).%n%n", b.index(), b.strategy(),
                b.lr(), b.score())));
        sb.append("![score vs learning rate](score-vs-lr.png)\n\n![heatmap](heatmap.png)\n\n");
        sb.append("| rank | candidate | strategy | freeze | lr | updater | batch | head | epochs | val accuracy | "
                + "time | features computed/reused | status |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        int rank = 1;
        for (CandidateRecord r : finals) {
            sb.append(String.format(Locale.ROOT, "| %s | c%03d | %s | %s | %.2e | %s | %d | %s | %d | %s | %.1f s | "
                            + "%d/%d | %s |%n", r.ok() ? String.valueOf(rank++) : "-", r.index(), r.strategy(),
                    r.freeze(), r.lr(), r.updater(), r.batch(), r.head(), r.epochs(), score(r), r.seconds(),
                    r.featuresComputed(), r.featuresReused(),
                    r.describeStatus().replace("|", "/")));
        }
        return sb.toString();
    }

    /** The {@code find} search's range tests: what each suggested, and the curves. Empty for other searches. */
    private static String rateTests(Collection<RateFinder.Test> tests) {
        if (tests.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\n## Learning-rate range tests\n\nEach configuration's rate was read "
                + "off a range test (the rate grew every minibatch; the suggestion is a tenth of the rate at which "
                + "the smoothed loss was lowest):\n\n");
        for (RateFinder.Test t : tests) {
            sb.append("- ").append(RateFinder.describe(t)).append('\n');
        }
        return sb.append("\n![range tests](lr-find.png)\n").toString();
    }

    private static String html(List<CandidateRecord> finals, Optional<CandidateRecord> best) {
        StringBuilder sb = new StringBuilder("<h1>Sweep report</h1>");
        best.ifPresent(b -> sb.append(String.format(Locale.ROOT, "<p>Best: c%03d, %s, lr %.2e, validation accuracy "
                + "%.4f (exported to <code>best/</code>).</p>", b.index(), escape(b.strategy()), b.lr(), b.score())));
        sb.append("<img src=\"score-vs-lr.png\" alt=\"score vs learning rate\"> <img src=\"heatmap.png\" "
                + "alt=\"heatmap\"><table><tr><th>rank</th><th>candidate</th><th>strategy</th><th>freeze</th>"
                + "<th>lr</th><th>updater</th><th>batch</th><th>head</th><th>epochs</th><th>val accuracy</th>"
                + "<th>time (s)</th><th>status</th></tr>");
        int rank = 1;
        for (CandidateRecord r : finals) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>c%03d</td><td>%s</td><td>%s</td><td>%.2e</td>"
                    + "<td>%s</td><td>%d</td><td>%s</td><td>%d</td><td>%s</td><td>%.1f</td><td>%s</td></tr>",
                    r.ok() ? String.valueOf(rank++) : "-", r.index(), escape(r.strategy()), escape(r.freeze()),
                    r.lr(), r.updater(), r.batch(), r.head(), r.epochs(), score(r), r.seconds(),
                    escape(r.describeStatus())));
        }
        return HtmlPage.of("Sweep report", sb.append("</table>").toString());
    }

    /** The score as tables show it: 4 decimals, or "-" for a failed candidate. */
    private static String score(CandidateRecord r) {
        return r.ok() ? String.format(Locale.ROOT, "%.4f", r.score()) : "-";
    }

    private static String escape(String s) {
        return HtmlPage.escape(s);
    }

    private static JFreeChart scoreVsLr(List<CandidateRecord> ok) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (CandidateRecord r : ok.stream().sorted(Comparator.comparingDouble(CandidateRecord::lr)).toList()) {
            series.computeIfAbsent(r.freeze(), f -> new XYSeries("freeze " + f, true, true)).add(r.lr(), r.score());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        return Charts.lines("Validation accuracy vs learning rate", "learning rate", "validation accuracy", data,
                true);
    }

    /** Freeze points (rows) × learning rates (columns, one per distinct value, or 6 log bins when sampled). */
    private static BufferedImage heatmap(List<CandidateRecord> ok) {
        Heatmap map = Heatmap.of(ok);
        List<String> rows = map.freezePoints();
        int cols = map.learningRates().size();
        int cell = 90;
        int left = 130;
        int top = 50;
        BufferedImage img = new BufferedImage(left + cols * cell + 20, top + rows.size() * 40 + 60,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Validation accuracy: freeze point x learning rate", 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double min = ok.stream().mapToDouble(CandidateRecord::score).min().orElse(0);
        double max = ok.stream().mapToDouble(CandidateRecord::score).max().orElse(1);
        for (int r = 0; r < rows.size(); r++) {
            g.setColor(Color.BLACK);
            g.drawString("freeze " + rows.get(r), 10, top + r * 40 + 25);
            for (int c = 0; c < cols; c++) {
                int x = left + c * cell;
                int y = top + r * 40;
                double v = map.scores()[r][c];
                if (Double.isNaN(v)) {
                    g.setColor(new Color(235, 235, 235));
                    g.fillRect(x, y, cell - 2, 38);
                    continue;
                }
                float t = (float) ((v - min) / Math.max(1e-9, max - min));
                g.setColor(new Color(1 - t * 0.8f, 0.35f + t * 0.55f, 0.3f + (1 - t) * 0.2f));
                g.fillRect(x, y, cell - 2, 38);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.3f", v), x + 25, y + 24);
            }
        }
        g.setColor(Color.BLACK);
        for (int c = 0; c < cols; c++) {
            double lr = map.learningRates().get(c);
            g.drawString(String.format(Locale.ROOT, "lr %.1e", lr), left + c * cell + 8, top + rows.size() * 40 + 20);
        }
        g.dispose();
        return img;
    }
}

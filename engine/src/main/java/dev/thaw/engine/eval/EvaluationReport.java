package dev.thaw.engine.eval;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * A classifier's scores on one split, with class names: accuracy, top-k accuracy, macro-F1, per-class precision,
 * recall and F1, and the confusion matrix (rows: actual, columns: predicted). Printable as a table, saved as JSON.
 */
public record EvaluationReport(String split, int examples, double accuracy, int topK, double topKAccuracy,
                               double macroF1, List<PerClass> classes, int[][] confusion) {

    public record PerClass(String name, double precision, double recall, double f1, int support) {
    }

    /** Reads the numbers out of a DL4J {@link Evaluation} made with {@code new Evaluation(labels, topK)}. */
    public static EvaluationReport of(String split, Evaluation e, List<String> labels, int topK) {
        int n = labels.size();
        List<PerClass> perClass = new ArrayList<>();
        int[][] confusion = new int[n][n];
        for (int actual = 0; actual < n; actual++) {
            int support = 0;
            for (int predicted = 0; predicted < n; predicted++) {
                confusion[actual][predicted] = e.getConfusionMatrix().getCount(actual, predicted);
                support += confusion[actual][predicted];
            }
            perClass.add(new PerClass(labels.get(actual), safe(e.precision(actual)), safe(e.recall(actual)),
                    safe(e.f1(actual)), support));
        }
        double macroF1 = perClass.stream().mapToDouble(PerClass::f1).average().orElse(0);
        return new EvaluationReport(split, e.getNumRowCounter(), e.accuracy(), topK, e.topNAccuracy(), macroF1,
                perClass, confusion);
    }

    private static double safe(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** Summary line, per-class table and confusion matrix. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d images  accuracy %.4f  top-%d %.4f  macro-F1 %.4f%n", split, examples,
                accuracy, topK, topKAccuracy, macroF1));
        int w = Math.max(5, classes.stream().mapToInt(c -> c.name().length()).max().orElse(5));
        String fmt = "  %-" + w + "s %9s %7s %7s %8s%n";
        sb.append(String.format(fmt, "class", "precision", "recall", "F1", "support"));
        for (PerClass c : classes) {
            sb.append(String.format(fmt, c.name(), String.format("%.3f", c.precision()),
                    String.format("%.3f", c.recall()), String.format("%.3f", c.f1()), c.support()));
        }
        sb.append("  confusion (rows actual, columns predicted):\n");
        // a row is labelled "INDEX NAME": as wide as the longest name plus the index and its space
        int label = w + String.valueOf(classes.size() - 1).length() + 1;
        sb.append(String.format("  %-" + label + "s", ""));
        for (int j = 0; j < classes.size(); j++) {
            sb.append(String.format(" %6d", j));
        }
        sb.append('\n');
        for (int i = 0; i < classes.size(); i++) {
            sb.append(String.format("  %-" + label + "s", i + " " + classes.get(i).name()));
            for (int j = 0; j < classes.size(); j++) {
                sb.append(String.format(" %6d", confusion[i][j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}

package dev.thaw.engine.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run will use, printed before training and saved with the run: classes with image counts per split, and
 * every file left out with its reason.
 */
public final class DataReport {

    private DataReport() {
    }

    public static String render(DataSplits splits) {
        Dataset d = splits.dataset();
        StringBuilder sb = new StringBuilder();
        sb.append("data: ").append(d.name()).append(" (").append(d.fingerprint()).append(")\n");
        int[] train = splits.counts(Split.TRAIN);
        int[] val = splits.counts(Split.VAL);
        int[] test = splits.counts(Split.TEST);
        int width = Math.max(5, splits.labels().stream().mapToInt(String::length).max().orElse(5));
        String fmt = "  %-3s %-" + width + "s %7s %7s %7s%n";
        sb.append(String.format(fmt, "#", "class", "train", "val", "test"));
        for (int c = 0; c < splits.numClasses(); c++) {
            sb.append(String.format(fmt, c, splits.labels().get(c), train[c], val[c], test[c]));
        }
        sb.append(String.format(fmt, "", "total", sum(train), sum(val), sum(test)));
        SplitPlan p = splits.plan();
        sb.append("  split: seed ").append(p.seed())
                .append(d.isPresplit() ? ", folders' train/val/test" : ", val " + p.valFraction() + ", test "
                        + p.testFraction())
                .append(p.perClass() > 0 ? ", " + p.perClass() + " training images per class" : "")
                .append(p.classes().isEmpty() ? "" : ", classes " + p.classes()).append('\n');
        for (String note : d.notes()) {
            sb.append("  note: ").append(note).append('\n');
        }
        if (d.skipped().isEmpty()) {
            sb.append("  skipped: none\n");
        } else {
            sb.append("  skipped ").append(d.skipped().size()).append(" file")
                    .append(d.skipped().size() == 1 ? "" : "s").append(": ").append(reasons(d.skipped())).append('\n');
            for (SkippedFile s : d.skipped()) {
                sb.append("    ").append(s).append('\n');
            }
        }
        return sb.toString();
    }

    /** e.g. "2 truncated JPEG, 1 hidden file". */
    private static String reasons(List<SkippedFile> skipped) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (SkippedFile s : skipped) {
            String kind = s.reason().replaceAll(" \\(.*", "");
            counts.merge(kind, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(v + " " + k));
        return String.join(", ", parts);
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) {
            s += v;
        }
        return s;
    }
}

package dev.thaw.engine.data;

import java.util.List;
import java.util.Map;

/**
 * A dataset cut into train/val/test for one run: the label list (after any class selection) and the items of each
 * split, labels re-numbered 0..k-1 in that list's order.
 */
public record DataSplits(Dataset dataset, SplitPlan plan, List<String> labels, Map<Split, List<Item>> parts) {

    public DataSplits {
        labels = List.copyOf(labels);
        parts = Map.copyOf(parts);
    }

    public List<Item> get(Split split) {
        return parts.getOrDefault(split, List.of());
    }

    public int numClasses() {
        return labels.size();
    }

    /** Count of items of {@code split} per class, in label order. */
    public int[] counts(Split split) {
        int[] counts = new int[labels.size()];
        for (Item i : get(split)) {
            counts[i.label()]++;
        }
        return counts;
    }

    /**
     * Identifies the data and the cut: the dataset fingerprint plus the plan (the validation cap only when set, so
     * that feature-cache keys made before it existed still match).
     */
    public String fingerprint() {
        return dataset.fingerprint() + "/seed=" + plan.seed() + ",val=" + plan.valFraction() + ",test="
                + plan.testFraction() + ",perClass=" + plan.perClass() + ",classes=" + plan.classes()
                + (plan.valPerClass() > 0 ? ",valPerClass=" + plan.valPerClass() : "");
    }
}

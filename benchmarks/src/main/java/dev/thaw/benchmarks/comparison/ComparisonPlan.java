package dev.thaw.benchmarks.comparison;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.FreezePoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a comparison runs: the backbone and input, the source and target tasks, label budgets, seeds, epochs, and
 * the strategies with the learning rate each gets. Every strategy trains for the same number of target epochs.
 *
 * @param model        backbone
 * @param input        input shape {@code CxHxW}
 * @param data         data spec (Fashion-MNIST: Debian's 70,000 when installed, else the bundled 10,000)
 * @param budgets      labels per class to transfer with (0 = all)
 * @param seeds        how many seeds per (strategy, budget); seeds are 1..n
 * @param sourceEpochs pretraining epochs on task A
 * @param targetEpochs epochs on task B, the same for every strategy
 * @param batch        minibatch size
 * @param strategies   strategies in report order
 */
public record ComparisonPlan(String model, String input, String data, List<Integer> budgets, int seeds,
                             int sourceEpochs, int targetEpochs, int batch, List<Entry> strategies) {

    /** Source task A and target task B of the FMNIST-AB protocol (disjoint classes). */
    public static final String SOURCE_CLASSES = "0-4";
    public static final String TARGET_CLASSES = "5-9";

    /**
     * A strategy of the comparison.
     *
     * @param name   strategy as {@code --strategy} takes it, or {@code scratch} (full training from random weights)
     * @param depth  position on the freeze-depth curve, -1 when not on it
     * @param lr     its learning rate: high for a lone head, low when pretrained blocks train
     */
    public record Entry(String name, int depth, double lr) {
        boolean scratch() {
            return name.equals("scratch");
        }
    }

    /**
     * The default line-up for a backbone: scratch, head, {@code freeze:} at every point below the head, full,
     * two-phase, gradual and discriminative.
     */
    public static List<Entry> defaultStrategies(Backbone backbone) {
        List<Entry> list = new ArrayList<>();
        int max = backbone.freezePoints().maxDepth();
        list.add(new Entry("scratch", -1, 1e-3));
        list.add(new Entry("head", max, 1e-2));
        for (FreezePoint p : backbone.freezePoints().list().subList(0, max - 1)) {
            list.add(new Entry("freeze:" + p.name(), p.depth(), 3e-3));
        }
        list.add(new Entry("full", 0, 1e-3));
        list.add(new Entry("two-phase", -1, 3e-3));
        list.add(new Entry("gradual", -1, 3e-3));
        list.add(new Entry("discriminative", -1, 1e-3));
        return list;
    }

    /** Parses {@code 10,20,100,all}. */
    public static List<Integer> parseBudgets(String text) {
        return Arrays.stream(text.split(",")).map(String::trim)
                .map(s -> s.equalsIgnoreCase("all") ? 0 : Integer.parseInt(s)).toList();
    }

    static String budgetName(int perClass) {
        return perClass == 0 ? "all" : String.valueOf(perClass);
    }
}

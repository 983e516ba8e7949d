package dev.thaw.benchmarks.comparison;

import dev.thaw.engine.train.Strategy;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
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
 * @param weights      start every transfer from these weights (e.g. {@code torchvision:PRE.pth}) instead of
 *                     pretraining on A; {@value #PEER_WEIGHTS}: from the model the PyTorch peer pretrains on A
 *                     (identical weights on both sides)
 * @param valPerClass  validation images per class of each transfer run (0: the default 15 % share)
 * @param peerRecipes  recipes of the PyTorch peer ({@code benchmarks/peer/torch_transfer.py}: head, finetune,
 *                     finetune-bn-frozen, scratch) run on the same training images after Thaw's runs; empty for none
 */
public record ComparisonPlan(String model, String input, String data, List<Integer> budgets, int seeds,
                             int sourceEpochs, int targetEpochs, int batch, List<Entry> strategies, String weights,
                             int valPerClass, List<String> peerRecipes) {

    /** A plan that pretrains its own source model, validates on the default share and runs no peer. */
    public ComparisonPlan(String model, String input, String data, List<Integer> budgets, int seeds,
                          int sourceEpochs, int targetEpochs, int batch, List<Entry> strategies) {
        this(model, input, data, budgets, seeds, sourceEpochs, targetEpochs, batch, strategies, null, 0, List.of());
    }

    /** Source task A and target task B of the FMNIST-AB protocol (disjoint classes). */
    public static final String SOURCE_CLASSES = "0-4";
    public static final String TARGET_CLASSES = "5-9";

    /** {@code weights} meaning: the PyTorch peer's pretrained model. */
    static final String PEER_WEIGHTS = "peer";

    /** Prefix of the rows that the PyTorch peer's recipes produce. */
    static final String PEER = "pytorch:";

    /**
     * A strategy of the comparison.
     *
     * @param name      strategy as {@code --strategy} takes it, or {@code scratch} (full training from random
     *                  weights), with {@code +bn-train} / {@code +bn-frozen} when its BatchNorm mode is not the
     *                  default; or {@code pytorch:RECIPE} for a row of the PyTorch peer
     * @param depth     position on the freeze-depth curve, -1 when not on it
     * @param lr        its learning rate: high for a lone head, low when pretrained blocks train
     * @param batchNorm {@code --batchnorm} of its runs
     */
    public record Entry(String name, int depth, double lr, String batchNorm) {

        public Entry(String name, int depth, double lr) {
            this(name, depth, lr, "auto");
        }

        boolean scratch() {
            return name.equals("scratch");
        }

        boolean peer() {
            return name.startsWith(PEER);
        }

        /** The strategy for {@code --strategy}: the name without the BatchNorm suffix. */
        String strategy() {
            int plus = name.indexOf('+');
            return plus < 0 ? name : name.substring(0, plus);
        }

        /**
         * Reads {@code NAME[@LR][+bn-train|+bn-frozen]}: a strategy of {@code defaults} (or any other, off the
         * depth curve) with its default learning rate unless one is given.
         */
        static Entry parse(String spec, List<Entry> defaults) {
            String s = spec.strip();
            String batchNorm = "auto";
            for (String mode : List.of("train", "frozen")) {
                if (s.endsWith("+bn-" + mode)) {
                    batchNorm = mode;
                    s = s.substring(0, s.length() - ("+bn-" + mode).length());
                }
            }
            String[] at = s.split("@");
            String strategy = at[0];
            Entry known = defaults.stream().filter(e -> e.name().equals(strategy)).findFirst()
                    .orElse(new Entry(strategy, -1, 1e-3));
            double lr = at.length > 1 ? Double.parseDouble(at[1]) : known.lr();
            String name = strategy + (batchNorm.equals("auto") ? "" : "+bn-" + batchNorm);
            return new Entry(name, batchNorm.equals("auto") ? known.depth() : -1, lr, batchNorm);
        }
    }

    /** Thaw's pretraining rate on task A: the backbone's rate from random weights. */
    double sourceLearningRate() {
        return Backbones.get(model).fromScratchLearningRate();
    }

    /** The report's rows: Thaw's strategies, then the peer's recipes. */
    List<Entry> rows() {
        List<Entry> rows = new ArrayList<>(strategies);
        peerRecipes.forEach(r -> rows.add(new Entry(PEER + r, -1, Double.NaN, "")));
        return rows;
    }

    /**
     * The default line-up for a backbone: scratch, head, {@code freeze:} at every point below the head, full,
     * two-phase, gradual and discriminative.
     */
    public static List<Entry> defaultStrategies(Backbone backbone) {
        List<Entry> list = new ArrayList<>();
        int max = backbone.freezePoints().maxDepth();
        list.add(new Entry("scratch", -1, backbone.fromScratchLearningRate()));
        list.add(entry(backbone, "head", max, 1e-2));
        for (FreezePoint p : backbone.freezePoints().list().subList(0, max - 1)) {
            list.add(entry(backbone, "freeze:" + p.name(), p.depth(), 3e-3));
        }
        list.add(entry(backbone, "full", 0, 1e-3));
        list.add(entry(backbone, "two-phase", -1, 3e-3));
        list.add(entry(backbone, "gradual", -1, 3e-3));
        list.add(entry(backbone, "discriminative", -1, 1e-3));
        return list;
    }

    /**
     * smallcnn's strategies train at the rates measured best for it (its committed comparison and the demo); a
     * larger backbone's at {@code train}'s defaults, PyTorch's usual rates ({@link Strategy#defaultLearningRate}).
     */
    private static Entry entry(Backbone backbone, String strategy, int depth, double smallCnnRate) {
        return new Entry(strategy, depth, backbone.name().equals("smallcnn") ? smallCnnRate
                : Strategy.defaultLearningRate(strategy, true, backbone));
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

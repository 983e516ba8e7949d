package dev.thaw.engine.run;

import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.train.Strategy;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.weights.WeightSource;
import java.io.Serializable;
import org.nd4j.shade.jackson.annotation.JsonInclude;

/**
 * Everything that defines a training run, as the user chose it; saved as {@code config.json} in the run directory,
 * read back by {@code --resume}. Immutable: change a copy through {@link #toBuilder()}.
 *
 * @param data         dataset ({@code --data})
 * @param split        train/val/test cut, label budget, class selection
 * @param model        backbone name
 * @param input        input shape {@code CxHxW}, or null for the backbone's native size
 * @param weights      weight source ({@code random}, {@code imagenet}, {@code thaw:PATH}, …)
 * @param strategy     freeze strategy
 * @param updater      {@code adam} or {@code sgd}
 * @param lr           base learning rate
 * @param schedule     learning-rate schedule
 * @param weightDecay  decoupled weight decay coefficient
 * @param batch        minibatch size
 * @param epochs       epochs in total
 * @param seed         seed for everything random
 * @param patience     early-stopping patience in epochs (0: off)
 * @param augment      augmentation ({@code none} or e.g. {@code flip,crop})
 * @param featureCache train frozen-prefix phases from cached features
 * @param name         run directory name under {@code runs}
 * @param strict       fail on bad image files instead of skipping them
 * @param headWidth    units of a new dense layer before the output (0: the backbone's own head)
 * @param dropout      dropout probability of that dense layer
 * @param batchNorm    {@code auto}, {@code frozen} or {@code train}: what BatchNorm layers do while the layers around
 *                     them fine-tune ({@code auto}: frozen for pretrained weights and fewer than 50 training images
 *                     per class, trained otherwise)
 * @param skipTest     leave out the final scoring on the test split (a sweep's candidates: the sweep scores only its
 *                     winner, with {@link RunEvaluation#finalScore}); the run then has no {@code evaluation.json}.
 *                     Left out of the JSON when false, so the config of a run (or sweep) from before it still
 *                     matches
 * @param noStats      record no DL4J training statistics ({@code --no-stats}; by default every run records them in
 *                     its folder for the training UI). Left out of the JSON when false, like {@code skipTest}
 */
public record TrainConfig(String data, SplitPlan split, String model, String input, String weights, String strategy,
                          String updater, double lr, String schedule, double weightDecay, int batch, int epochs,
                          long seed, int patience, String augment, boolean featureCache, String name,
                          boolean strict, int headWidth, double dropout, String batchNorm,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean skipTest,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean noStats)
        implements Serializable {

    /** Arbiter hands candidates around as serialized copies. */
    private static final long serialVersionUID = 1L;

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.data = data;
        b.split = split;
        b.model = model;
        b.input = input;
        b.weights = weights;
        b.strategy = strategy;
        b.updater = updater;
        b.lr = lr;
        b.schedule = schedule;
        b.weightDecay = weightDecay;
        b.batch = batch;
        b.epochs = epochs;
        b.seed = seed;
        b.patience = patience;
        b.augment = augment;
        b.featureCache = featureCache;
        b.name = name;
        b.strict = strict;
        b.headWidth = headWidth;
        b.dropout = dropout;
        b.batchNorm = batchNorm;
        b.skipTest = skipTest;
        b.noStats = noStats;
        return b;
    }

    /**
     * Defaults: Fashion-MNIST, smallcnn, random weights, Adam, 5 epochs, batch 32, BatchNorm {@code auto}; without
     * {@link #strategy} and {@link #lr}, {@link #build()} picks them as {@code train} does: strategy
     * {@link Strategy#defaultFor} the weights ({@code two-phase} from pretrained ones, {@code full} from random ones),
     * rate {@link Strategy#defaultLearningRate} for that strategy. They are picked once, at {@code build()}: a
     * {@link TrainConfig#toBuilder()} copy keeps them even if its weights change.
     */
    public static final class Builder {
        private String data = "fashion-mnist";
        private SplitPlan split = SplitPlan.DEFAULT;
        private String model = "smallcnn";
        private String input;
        private String weights = "random";
        private String strategy;
        private String updater = "adam";
        private double lr = Double.NaN;
        private String schedule = "constant";
        private double weightDecay;
        private int batch = 32;
        private int epochs = 5;
        private long seed = 42;
        private int patience;
        private String augment = "none";
        private boolean featureCache = true;
        private String name;
        private boolean strict;
        private int headWidth;
        private double dropout;
        private boolean skipTest;
        private boolean noStats;
        private String batchNorm = "auto";

        public Builder data(String v) { data = v; return this; }
        public Builder split(SplitPlan v) { split = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder input(String v) { input = v; return this; }
        public Builder weights(String v) { weights = v; return this; }
        public Builder strategy(String v) { strategy = v; return this; }
        public Builder updater(String v) { updater = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder schedule(String v) { schedule = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder augment(String v) { augment = v; return this; }
        public Builder featureCache(boolean v) { featureCache = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder strict(boolean v) { strict = v; return this; }
        public Builder headWidth(int v) { headWidth = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }
        public Builder batchNorm(String v) { batchNorm = v; return this; }
        public Builder skipTest(boolean v) { skipTest = v; return this; }
        public Builder noStats(boolean v) { noStats = v; return this; }

        public TrainConfig build() {
            boolean pretrained = WeightSource.parse(weights).pretrained();
            String strategy = this.strategy != null ? this.strategy : Strategy.defaultFor(pretrained);
            double lr = !Double.isNaN(this.lr) ? this.lr
                    : Strategy.defaultLearningRate(strategy, pretrained, Backbones.get(model));
            return new TrainConfig(data, split, model, input, weights, strategy, updater, lr, schedule, weightDecay,
                    batch, epochs, seed, patience, augment, featureCache, name, strict, headWidth, dropout,
                    batchNorm, skipTest, noStats);
        }
    }
}

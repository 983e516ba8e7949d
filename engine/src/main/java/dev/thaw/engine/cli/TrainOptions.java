package dev.thaw.engine.cli;

import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.Strategy;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Model, weights and training flags shared by {@code train}, {@code pretrain} and the sweep. */
public final class TrainOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "NAME", defaultValue = "smallcnn",
            description = "Backbone: smallcnn, vgg16, resnet50, resnet18, resnet50-tv, vgg16-tv (default: "
                    + "${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "Input shape, e.g. 3x64x64 or 64 (default: the backbone's native size).")
    String input;

    @Option(names = "--weights", paramLabel = "SOURCE",
            description = "random, imagenet, PATH.zip, PATH.h5, PATH.pth (torchvision:PATH, for resnet18, "
                    + "resnet50-tv and vgg16-tv) or thaw:PATH (default: random).")
    String weights;

    @Option(names = {"-s", "--strategy"}, paramLabel = "S",
            description = "head, freeze:POINT, full, two-phase[:K|auto[:POINT]], gradual, discriminative[:FACTOR] "
                    + "(default: two-phase with pretrained --weights, full with random ones). two-phase (= "
                    + "two-phase:auto) trains the head on cached features until validation accuracy stops "
                    + "improving, then --epochs epochs of everything; two-phase:K trains the head K of the --epochs.")
    String strategy;

    @Option(names = "--updater", defaultValue = "adam", description = "adam or sgd (Nesterov) (default: ${DEFAULT-VALUE}).")
    String updater;

    @Option(names = "--lr",
            description = "Learning rate of the backbone layers that train; a new head on a pretrained body trains "
                    + "at 10x it while they train, and at this rate alone (default: 1e-3 for head and two-phase; "
                    + "1e-4 where pretrained layers train from the start; from random weights 1e-3, vgg16 1e-4).")
    Double lr;

    @Option(names = "--schedule", defaultValue = "constant",
            description = "constant, step, cosine or one-cycle (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--batch", defaultValue = "32", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "0",
            description = "Stop after N epochs without better validation accuracy, keeping the best (0: off).")
    int patience;

    @Option(names = "--augment", defaultValue = "none",
            description = "Training augmentation: none or any of flip,crop[=F],rotate[=DEG] (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--head-width", defaultValue = "0", paramLabel = "N",
            description = "Add a new dense layer of N units (ReLU) before the output (default: none).")
    int headWidth;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P",
            description = "Dropout probability of that dense layer (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--batchnorm", defaultValue = "auto", paramLabel = "MODE",
            description = "What BatchNorm layers do while the layers around them train: frozen (inference mode, "
                    + "pretrained statistics kept), train (batch statistics, running statistics updated) or auto: "
                    + "frozen for pretrained weights and fewer than 50 training images per class, else train "
                    + "(default: ${DEFAULT-VALUE}).")
    String batchNorm;

    @Option(names = "--no-feature-cache", description = "Run the frozen layers every epoch instead of caching their "
            + "output (the cache is used only without augmentation).")
    boolean noFeatureCache;

    @Option(names = "--no-stats", description = "Record no DL4J training statistics (by default every run "
            + "records them in RUN/stats.db for the training UI: `thaw ui RUN`).")
    boolean noStats;

    @Option(names = "--name", paramLabel = "NAME", description = "Run folder name under --runs (default: a timestamp).")
    String name;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs",
            description = "Where run folders go (default: ${DEFAULT-VALUE}).")
    Path runs;

    /**
     * @param defaultStrategy the strategy without {@code --strategy}; null: {@link Strategy#defaultFor} the weights
     */
    public TrainConfig config(DataOptions data, String defaultWeights, String defaultStrategy) {
        TrainConfig.Builder b = TrainConfig.builder()
                .data(data.data).split(data.plan()).strict(data.strict)
                .model(model).input(input)
                .weights(weights == null ? defaultWeights : weights)
                .strategy(strategy != null ? strategy : defaultStrategy) // null: build() picks it
                .updater(updater)
                .schedule(schedule).weightDecay(weightDecay)
                .batch(batch).epochs(epochs).seed(data.seed).patience(patience)
                .augment(augment).featureCache(!noFeatureCache).name(name).headWidth(headWidth).dropout(dropout)
                .batchNorm(batchNorm).noStats(noStats);
        if (lr != null) {
            b.lr(lr);
        }
        return b.build();
    }
}

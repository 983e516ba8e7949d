package dev.thaw.engine.train;

/**
 * How to train, apart from data and model.
 *
 * @param strategy     what is frozen when
 * @param optimizer    updater, learning rate and schedule, weight decay
 * @param epochs       epochs in total, over all phases
 * @param seed         shuffling, initialisation and dropout seed
 * @param patience     stop after this many epochs without a better validation accuracy (0: never stop early);
 *                     the best epoch's weights are kept
 * @param featureCache train phases with a frozen prefix from cached features (ignored with augmentation)
 * @param batchNorm    what BatchNorm layers in the trainable part do
 */
public record TrainSettings(Strategy strategy, Optimizer optimizer, int epochs, long seed, int patience,
                            boolean featureCache, BatchNormMode batchNorm) {

    public TrainSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be >= 0, got " + patience);
        }
    }
}

package dev.thaw.engine.train;

import dev.thaw.zoo.FreezePoints;
import java.util.List;

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
 * @param pretrained   whether the starting weights were learned elsewhere: only then does a new head train faster
 *                     than the layers below it ({@link Phase#headLrFactor}); from random weights nothing is new
 *                     relative to anything else, and everything trains at one rate (as PyTorch's scratch recipe)
 */
public record TrainSettings(Strategy strategy, Optimizer optimizer, int epochs, long seed, int patience,
                            boolean featureCache, BatchNormMode batchNorm, boolean pretrained) {

    /** The strategy's phases over the run, with one rate for head and body when nothing is pretrained. */
    List<Phase> phases(FreezePoints points) {
        List<Phase> phases = strategy.phases(epochs, points);
        return pretrained ? phases : phases.stream().map(Phase::withHeadAtPhaseRate).toList();
    }

    public TrainSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be >= 0, got " + patience);
        }
    }
}

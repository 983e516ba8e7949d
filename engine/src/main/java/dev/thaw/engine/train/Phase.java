package dev.thaw.engine.train;

import dev.thaw.zoo.FreezePoint;
import java.util.List;

/**
 * A stretch of epochs trained with one freeze point and one learning-rate setting.
 *
 * @param firstEpoch   0-based epoch the phase starts at
 * @param epochs       how many epochs it lasts
 * @param frozen       everything up to this point is frozen ({@link FreezePoint#NONE}: nothing)
 * @param lrScale      multiplies the base learning rate (e.g. 0.1 after unfreezing)
 * @param decayPerBlock discriminative learning rates: each block's rate is this factor times the rate of the block
 *                     above it (1 = the same rate everywhere)
 * @param headLrFactor  the head's rate over the phase rate while backbone layers train too (1 = the same): a new
 *                     head starts from nothing and needs larger steps than pretrained layers, which larger steps
 *                     would wreck (the usual PyTorch recipe: body 1e-4, head 1e-3)
 * @param untilConverged the phase ends early once validation accuracy has stopped improving
 *                     ({@link HeadConvergence}), and the next phase starts from its best epoch's weights; its
 *                     {@code epochs} are then a cap. Meant for a head on cached features, whose epochs cost
 *                     milliseconds. It trains at the constant base rate: schedules span the other phases.
 */
public record Phase(int firstEpoch, int epochs, FreezePoint frozen, double lrScale, double decayPerBlock,
                    double headLrFactor, boolean untilConverged) {

    /** What Thaw's fine-tuning phases give the head: 10 times the rate of the backbone layers. */
    public static final double HEAD_LR_FACTOR = 10;

    /** A phase that lasts all its epochs. */
    public Phase(int firstEpoch, int epochs, FreezePoint frozen, double lrScale, double decayPerBlock,
                 double headLrFactor) {
        this(firstEpoch, epochs, frozen, lrScale, decayPerBlock, headLrFactor, false);
    }

    /** A phase that lasts all its epochs, its head at the phase rate. */
    public Phase(int firstEpoch, int epochs, FreezePoint frozen, double lrScale, double decayPerBlock) {
        this(firstEpoch, epochs, frozen, lrScale, decayPerBlock, 1);
    }

    /** The head alone (everything up to {@code deepest} frozen) until it converges, for at most {@code epochs}. */
    static Phase headUntilConverged(int epochs, FreezePoint deepest) {
        return new Phase(0, epochs, deepest, 1, 1, 1, true);
    }

    /** This phase with the head at the phase rate. */
    Phase withHeadAtPhaseRate() {
        return new Phase(firstEpoch, epochs, frozen, lrScale, decayPerBlock, 1, untilConverged);
    }

    /** Where the last of {@code phases} ends: the length of the run they make up, in epochs. */
    public static int endOf(List<Phase> phases) {
        return phases.get(phases.size() - 1).endEpoch();
    }

    public int endEpoch() {
        return firstEpoch + epochs;
    }

    public boolean contains(int epoch) {
        return epoch >= firstEpoch && epoch < endEpoch();
    }

    @Override
    public String toString() {
        return "epochs " + (firstEpoch + 1) + "-" + endEpoch() + (untilConverged ? " at most" : "") + ": frozen up to "
                + frozen.name()
                + (lrScale != 1 ? ", lr x" + lrScale : "")
                + (decayPerBlock != 1 ? ", lr x" + decayPerBlock + " per block toward the input" : "")
                + (headLrFactor != 1 ? ", head lr x" + headLrFactor : "")
                + (untilConverged ? ", until validation accuracy has not improved for " + HeadConvergence.PATIENCE
                + " epochs" : "");
    }
}

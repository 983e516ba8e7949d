package dev.thaw.engine.train;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.FreezePoint;
import dev.thaw.zoo.FreezePoints;
import java.util.ArrayList;
import java.util.List;

/**
 * How much of the backbone trains, and when: the choice a transfer-learning user makes. Each strategy turns into a
 * list of {@link Phase}s for a given epoch budget; the trainer only ever executes phases.
 *
 * <p>Written on the command line as {@code head}, {@code freeze:POINT}, {@code full},
 * {@code two-phase[:K|auto[:POINT]]},
 * {@code gradual}, {@code discriminative[:FACTOR]}.
 */
public sealed interface Strategy {

    /** The phases of this strategy over {@code epochs} epochs of a backbone with these freeze points. */
    List<Phase> phases(int epochs, FreezePoints points);

    /** How the user writes it. */
    String spec();

    /** Everything but the head frozen: train a new classifier on fixed features. */
    record Head() implements Strategy {
        public List<Phase> phases(int epochs, FreezePoints points) {
            return List.of(new Phase(0, epochs, points.deepest(), 1, 1));
        }

        public String spec() {
            return "head";
        }
    }

    /** Frozen up to a named point; everything above it trains. */
    record Freeze(String point) implements Strategy {
        public List<Phase> phases(int epochs, FreezePoints points) {
            FreezePoint at = points.resolve(point);
            return List.of(new Phase(0, epochs, at, 1, 1, headFactor(at, points)));
        }

        public String spec() {
            return "freeze:" + point;
        }
    }

    /** Nothing frozen: every layer fine-tunes (usually with a smaller learning rate). */
    record Full() implements Strategy {
        public List<Phase> phases(int epochs, FreezePoints points) {
            return List.of(new Phase(0, epochs, FreezePoint.NONE, 1, 1, headFactor(FreezePoint.NONE, points)));
        }

        public String spec() {
            return "full";
        }
    }

    /**
     * fastai's {@code fine_tune}: the head alone, then unfrozen (to {@code unfreezeTo}) at {@code lrScale} times the
     * learning rate. With {@code headEpochs} = {@link #UNTIL_CONVERGED} (written {@code two-phase}), the head trains
     * until validation accuracy stops improving (at most {@value #MAX_HEAD_EPOCHS} epochs, milliseconds each on
     * cached features) and then all {@code --epochs} train the unfrozen network; with a number K
     * ({@code two-phase:K}), the head trains K of the {@code --epochs}.
     */
    record TwoPhase(int headEpochs, String unfreezeTo, double lrScale) implements Strategy {

        /** {@code headEpochs} meaning: train the head until it converges. */
        public static final int UNTIL_CONVERGED = 0;
        /** The cap on a converging head phase. */
        public static final int MAX_HEAD_EPOCHS = 100;

        public List<Phase> phases(int epochs, FreezePoints points) {
            FreezePoint at = points.resolve(unfreezeTo);
            if (headEpochs == UNTIL_CONVERGED) {
                return List.of(Phase.headUntilConverged(MAX_HEAD_EPOCHS, points.deepest()),
                        new Phase(MAX_HEAD_EPOCHS, epochs, at, lrScale, 1, headFactor(at, points)));
            }
            if (epochs <= headEpochs) {
                throw new IllegalArgumentException("two-phase:" + headEpochs + " trains the head for " + headEpochs
                        + " of the --epochs, then unfreezes: give --epochs more than " + headEpochs);
            }
            // the head keeps the rate it had in the first phase (lrScale x 10 = 1 with the default 0.1)
            return List.of(new Phase(0, headEpochs, points.deepest(), 1, 1),
                    new Phase(headEpochs, epochs - headEpochs, at, lrScale, 1, headFactor(at, points)));
        }

        public String spec() {
            return "two-phase:" + (headEpochs == UNTIL_CONVERGED ? "auto" : headEpochs) + ":" + unfreezeTo;
        }
    }

    /** ULMFiT's gradual unfreezing: the head first, then one more block from the top each epoch. */
    record Gradual() implements Strategy {
        public List<Phase> phases(int epochs, FreezePoints points) {
            List<Phase> phases = new ArrayList<>();
            int depth = points.maxDepth();
            for (int e = 0; e < epochs; e++) {
                boolean last = depth == 0 || e == epochs - 1;
                int length = last ? epochs - e : 1;
                FreezePoint at = points.atDepth(depth);
                phases.add(new Phase(e, length, at, 1, 1, headFactor(at, points)));
                if (last) {
                    break;
                }
                depth--;
            }
            return phases;
        }

        public String spec() {
            return "gradual";
        }
    }

    /** Everything trains, each block at {@code factor} times the rate of the block above it (ULMFiT's 1/2.6). */
    record Discriminative(double factor) implements Strategy {
        public List<Phase> phases(int epochs, FreezePoints points) {
            return List.of(new Phase(0, epochs, FreezePoint.NONE, 1, factor));
        }

        public String spec() {
            return "discriminative:" + factor;
        }
    }

    /**
     * The strategy when none is given: {@code two-phase} from pretrained weights (the best measured on ResNet50
     * with 20 and 100 labels per class, README "Which strategy when?"), {@code full} from random ones, whose layers
     * would never learn frozen.
     */
    public static String defaultFor(boolean pretrained) {
        return pretrained ? "two-phase" : "full";
    }

    /**
     * The {@code --lr} a strategy gets when none is given: 1e-3 where only a head trains first ({@code head},
     * {@code two-phase}, whose body later trains at a tenth of it); 1e-4 where pretrained layers train from the
     * start (their new head then at 1e-3) — PyTorch's usual fine-tuning rates; the backbone's
     * {@link Backbone#fromScratchLearningRate()} when nothing is pretrained. At 1e-3 a pretrained ResNet50 body is
     * trained away from what it learned within a few steps.
     */
    public static double defaultLearningRate(String spec, boolean pretrained, Backbone backbone) {
        Strategy s = parse(spec);
        if (!pretrained) {
            return backbone.fromScratchLearningRate();
        }
        return s instanceof Head || s instanceof TwoPhase ? 1e-3 : 1e-4;
    }

    /** {@link Phase#HEAD_LR_FACTOR} when layers below the head train, 1 when the head trains alone. */
    private static double headFactor(FreezePoint frozen, FreezePoints points) {
        return frozen.equals(points.deepest()) ? 1 : Phase.HEAD_LR_FACTOR;
    }

    private static int positive(int headEpochs) {
        if (headEpochs < 1) {
            throw new IllegalArgumentException("two-phase:K needs K >= 1 head epochs (or two-phase:auto)");
        }
        return headEpochs;
    }

    /** Reads a {@code --strategy} value; the freeze point names are checked when phases are made. */
    static Strategy parse(String spec) {
        String[] parts = spec.strip().toLowerCase().split(":");
        try {
            return switch (parts[0]) {
                case "head" -> new Head();
                case "full" -> new Full();
                case "freeze" -> {
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("write freeze:POINT, e.g. freeze:block3 or freeze:2");
                    }
                    yield new Freeze(parts[1]);
                }
                case "two-phase" -> new TwoPhase(parts.length < 2 || parts[1].equals("auto")
                        ? TwoPhase.UNTIL_CONVERGED : positive(Integer.parseInt(parts[1])),
                        parts.length > 2 ? parts[2] : "none", 0.1);
                case "gradual" -> new Gradual();
                case "discriminative" -> new Discriminative(parts.length > 1 ? Double.parseDouble(parts[1]) : 1 / 2.6);
                default -> throw new IllegalArgumentException("unknown strategy");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--strategy " + spec + ": a number was expected after ':'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--strategy " + spec + ": " + e.getMessage() + ". Strategies: head, "
                    + "freeze:POINT, full, two-phase[:HEAD_EPOCHS|auto[:POINT]], gradual, discriminative[:FACTOR]");
        }
    }
}

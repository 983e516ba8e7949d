package dev.thaw.engine.data;

import java.io.Serializable;

/**
 * How to cut a dataset into train/val/test: an immutable value, so a sweep or a rerun can say exactly which split
 * it used.
 *
 * @param seed         decides the stratified split and the label budget draw; same seed, same split
 * @param valFraction  share of each class held out for validation when the data is not pre-split
 * @param testFraction share of each class held out for testing when the data is not pre-split
 * @param perClass     training images kept per class (few-label experiments), or 0 for all
 * @param classes      {@code --classes} selection; empty for all classes
 * @param valPerClass  at most this many validation images per class, or 0 for no cap: validation runs after
 *                     every epoch, and with a few labels per class the default share of a large dataset costs more
 *                     than the training itself (ResNet50, 20 labels per class: 19 s of a 22 s epoch)
 */
public record SplitPlan(long seed, double valFraction, double testFraction, int perClass, String classes,
                        int valPerClass) implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final SplitPlan DEFAULT = new SplitPlan(42, 0.15, 0.15, 0, "");

    /** A plan without a validation cap. */
    public SplitPlan(long seed, double valFraction, double testFraction, int perClass, String classes) {
        this(seed, valFraction, testFraction, perClass, classes, 0);
    }

    public SplitPlan {
        if (valFraction < 0 || testFraction < 0 || valFraction + testFraction >= 1) {
            throw new DataException("--val " + valFraction + " and --test " + testFraction + " must be >= 0 and "
                    + "leave room for training (sum below 1)");
        }
        if (perClass < 0) {
            throw new DataException("--per-class must be positive (or 0 for all images), got " + perClass);
        }
        if (valPerClass < 0) {
            throw new DataException("--val-per-class must be positive (or 0 for no cap), got " + valPerClass);
        }
        classes = classes == null ? "" : classes;
    }

    public SplitPlan withSeed(long newSeed) {
        return new SplitPlan(newSeed, valFraction, testFraction, perClass, classes, valPerClass);
    }

    public SplitPlan withPerClass(int n) {
        return new SplitPlan(seed, valFraction, testFraction, n, classes, valPerClass);
    }

    public SplitPlan withValPerClass(int n) {
        return new SplitPlan(seed, valFraction, testFraction, perClass, classes, n);
    }

    public SplitPlan withClasses(String selection) {
        return new SplitPlan(seed, valFraction, testFraction, perClass, selection, valPerClass);
    }
}

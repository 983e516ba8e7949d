package dev.thaw.benchmarks.comparison;

/**
 * One finished transfer run of the comparison: one line of {@code results.jsonl}.
 *
 * @param strategy        what the user would type: {@code scratch}, {@code head}, {@code freeze:block2}, …
 * @param depth           frozen blocks for the depth curve (0 = full, max = head), -1 for strategies off that curve
 * @param perClass        labels per class (0 = all)
 * @param seed            split, label draw and head init seed
 * @param accuracy        test accuracy
 * @param macroF1         test macro-F1
 * @param seconds         wall time of the run (data, training, evaluation)
 * @param trainableParams parameters the strategy trains (its largest phase)
 * @param trainSeconds    of which training, from the first epoch's set-up to the trained model (featurization and
 *                        validation included); the peer's excludes only reading and resizing the images
 * @param testSeconds     of which scoring the test split
 */
public record ComparisonRun(String strategy, int depth, int perClass, long seed, double accuracy, double macroF1,
                            double seconds, long trainableParams, double trainSeconds, double testSeconds) {

    /** A run recorded without the train/test breakdown. */
    public ComparisonRun(String strategy, int depth, int perClass, long seed, double accuracy, double macroF1,
                         double seconds, long trainableParams) {
        this(strategy, depth, perClass, seed, accuracy, macroF1, seconds, trainableParams, Double.NaN, Double.NaN);
    }

    boolean is(String strategy, int perClass, long seed) {
        return this.strategy.equals(strategy) && this.perClass == perClass && this.seed == seed;
    }
}

package dev.thaw.engine.cli;

import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.Dataset;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import picocli.CommandLine.Option;

/** The flags that choose a dataset and cut it into splits; shared by every command that reads data. */
public final class DataOptions {

    @Option(names = "--data", paramLabel = "SOURCE", defaultValue = DataSource.FASHION_MNIST,
            description = {"Image folder (one subfolder per class, optionally inside train/ val/ test/), "
                    + "'fashion-mnist', or idx:IMAGES,LABELS (default: ${DEFAULT-VALUE}: Debian's full set if "
                    + "installed, else the bundled 10,000-image test split)."})
    String data;

    @Option(names = "--classes", paramLabel = "SEL",
            description = "Classes to use: numbers, ranges or names, e.g. 5-9 or Sandal,Shirt (default: all).")
    String classes;

    @Option(names = "--per-class", paramLabel = "N", defaultValue = "0",
            description = "Training images per class, for few-label runs (default: all).")
    int perClass;

    @Option(names = "--val", paramLabel = "F", defaultValue = "0.15",
            description = "Validation share of each class when the data is not pre-split (default: ${DEFAULT-VALUE}).")
    double val;

    @Option(names = "--val-per-class", paramLabel = "N", defaultValue = "0",
            description = "At most N validation images per class (default: no cap). Validation runs every epoch: "
                    + "with few labels, a cap keeps it from costing more than the training.")
    int valPerClass;

    @Option(names = "--test", paramLabel = "F", defaultValue = "0.15",
            description = "Test share of each class when the data is not pre-split (default: ${DEFAULT-VALUE}).")
    double test;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed for the split, the label budget and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--strict", description = "Fail on the first bad image instead of skipping and reporting it.")
    boolean strict;

    public long seed() {
        return seed;
    }

    /** What {@code --data} names. */
    public String source() {
        return data;
    }

    public boolean strict() {
        return strict;
    }

    public SplitPlan plan() {
        return new SplitPlan(seed, val, test, perClass, classes, valPerClass);
    }

    public Dataset open() {
        return DataSource.open(data, strict);
    }

    public DataSplits splits() {
        return Splitter.split(open(), plan());
    }
}

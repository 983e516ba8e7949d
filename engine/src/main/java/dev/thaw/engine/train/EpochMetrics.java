package dev.thaw.engine.train;

/**
 * What one epoch did.
 *
 * @param epoch          0-based
 * @param phase          the phase's description
 * @param trainLoss      mean minibatch loss
 * @param valAccuracy    validation accuracy after the epoch (NaN without a validation split)
 * @param seconds        wall time of the epoch, validation included
 * @param imagesPerSecond training images per second
 * @param featurized     trained from cached frozen-prefix features
 */
public record EpochMetrics(int epoch, String phase, double trainLoss, double valAccuracy, double seconds,
                           double imagesPerSecond, boolean featurized) {

    static final String CSV_HEADER = "epoch,train_loss,val_accuracy,seconds,images_per_second,featurized,phase";

    String csv() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.3f,%.1f,%s,\"%s\"", epoch + 1, trainLoss,
                valAccuracy, seconds, imagesPerSecond, featurized, phase);
    }

    static EpochMetrics parseCsv(String line) {
        String[] f = line.split(",", 7);
        return new EpochMetrics(Integer.parseInt(f[0]) - 1, f[6].replaceAll("^\"|\"$", ""), Double.parseDouble(f[1]),
                Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                Boolean.parseBoolean(f[5]));
    }
}

package dev.thaw.engine.train;

import java.io.PrintWriter;

/**
 * Progress on the terminal: epoch, batch, running loss, images/s and ETA, at most every two seconds, plus one line
 * per finished epoch. Silent when the {@code thaw.progress} system property is {@code off} (tests, CI).
 */
public final class ProgressPrinter implements TrainingListener {

    private final PrintWriter out;
    private final int totalEpochs;
    private final boolean enabled = !"off".equals(System.getProperty("thaw.progress"));
    private long epochStart;
    private long lastPrint;
    private double lossSum;
    private int lossCount;
    private long examples;

    public ProgressPrinter(PrintWriter out, int totalEpochs) {
        this.out = out;
        this.totalEpochs = totalEpochs;
    }

    @Override
    public void onPhaseStart(Phase phase, boolean featurized) {
        if (enabled) {
            out.println("phase: " + phase + (featurized ? " (training from cached features)" : ""));
            out.flush();
        }
    }

    @Override
    public void onPhaseEnd(Phase phase, String summary) {
        if (enabled) {
            out.println("phase done: " + summary);
            out.flush();
        }
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss, int n) {
        long now = System.nanoTime();
        if (batch == 0) {
            epochStart = now;
            lossSum = 0;
            lossCount = 0;
            examples = 0;
            lastPrint = now;
        }
        lossSum += loss;
        lossCount++;
        examples += n;
        if (enabled && now - lastPrint > 2_000_000_000L) {
            double secs = (now - epochStart) / 1e9;
            double perBatch = secs / (batch + 1);
            double eta = perBatch * (batches - batch - 1) + perBatch * batches * (totalEpochs - epoch - 1);
            out.printf("  epoch %d/%d  batch %d/%d  loss %.4f  %.0f img/s  ETA %s%n", epoch + 1, totalEpochs,
                    batch + 1, batches, lossSum / lossCount, examples / secs, duration(eta));
            out.flush();
            lastPrint = now;
        }
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        if (enabled) {
            String val = Double.isNaN(m.valAccuracy()) ? "" : String.format("  val acc %.4f", m.valAccuracy());
            out.printf("epoch %d/%d  loss %.4f%s  %.0f img/s  %.1f s%n", m.epoch() + 1, totalEpochs, m.trainLoss(),
                    val, m.imagesPerSecond(), m.seconds());
            out.flush();
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}

package dev.thaw.engine.ui;

import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.deeplearning4j.ui.model.stats.api.StatsUpdateConfiguration;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;

/**
 * What DL4J's stats listener collects, and when: a record is due once the time since the last one is
 * {@link #COST_FACTOR} times what that record cost (and at least {@link #MIN_INTERVAL_NANOS}), so that recording
 * stays a small share of training time on any model: a small CNN at 32 px gets a record every few seconds, a ResNet50
 * at 64 px (where one costs about a second) about once a minute. DL4J only knows a fixed every-N-iterations
 * frequency, which it reads at each step; this configuration answers 1 (record now) or "never" accordingly.
 *
 * <p>Collected: score, performance, memory, learning rates; mean, standard deviation, mean magnitude and
 * histograms of parameters, gradients and updates; mean and standard deviation of activations (no activation
 * histograms).
 */
final class StatsPace implements StatsUpdateConfiguration {

    /**
     * Time between records ≥ 50 × a record's cost (collecting and writing it): ≤ 2 % of the run counted that way.
     * Measured per step (StatsOverheadBenchmark, small CNN at 32 px): at 25 × +3.6 % and +7.7 % in two runs with
     * 46-47 records, at 50 × +3.6 % with 26; what the count leaves out (garbage, the writing thread's share of the
     * cores) and noise weigh as much as the records.
     */
    static final int COST_FACTOR = 50;
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private static final long serialVersionUID = 1L;

    private final StatsUpdateConfiguration collect = new DefaultStatsUpdateConfiguration.Builder()
            .reportingFrequency(1)
            .collectHistogramsActivations(false)
            .collectMeanMagnitudesActivations(false)
            .build();

    private long nextDue;
    private boolean due = true;

    /** Decides whether this step records; called at the step's start, before DL4J first asks. */
    void decide(long now) {
        due = now >= nextDue;
    }

    boolean due() {
        return due;
    }

    /** A record ended at {@code now} having cost {@code costNanos}: the next is due after its share of time. */
    void recorded(long now, long costNanos) {
        nextDue = now + Math.max(MIN_INTERVAL_NANOS, COST_FACTOR * costNanos);
    }

    @Override
    public int reportingFrequency() {
        return due ? 1 : Integer.MAX_VALUE;
    }

    @Override
    public boolean collectPerformanceStats() {
        return collect.collectPerformanceStats();
    }

    @Override
    public boolean collectMemoryStats() {
        return collect.collectMemoryStats();
    }

    @Override
    public boolean collectGarbageCollectionStats() {
        return collect.collectGarbageCollectionStats();
    }

    @Override
    public boolean collectLearningRates() {
        return collect.collectLearningRates();
    }

    @Override
    public boolean collectHistograms(StatsType type) {
        return collect.collectHistograms(type);
    }

    @Override
    public int numHistogramBins(StatsType type) {
        return collect.numHistogramBins(type);
    }

    @Override
    public boolean collectMean(StatsType type) {
        return collect.collectMean(type);
    }

    @Override
    public boolean collectStdev(StatsType type) {
        return collect.collectStdev(type);
    }

    @Override
    public boolean collectMeanMagnitudes(StatsType type) {
        return collect.collectMeanMagnitudes(type);
    }
}

package dev.thaw.engine.train;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

/** The updater ({@code adam} or {@code sgd} with Nesterov momentum 0.9) and its learning rate. */
public record Optimizer(String updater, LearningRate learningRate, double weightDecay) {

    public Optimizer {
        updater = updater.strip().toLowerCase();
        if (!updater.equals("adam") && !updater.equals("sgd")) {
            throw new IllegalArgumentException("--updater " + updater + ": use adam or sgd (Nesterov momentum)");
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
    }

    /**
     * A fresh updater at {@code scale} × the base rate, following the schedule over the run, for a phase that starts
     * at {@code startIteration}/{@code startEpoch} and counts its own iterations from 0.
     */
    IUpdater build(double scale, int epochs, long totalIterations, long startIteration, int startEpoch) {
        return build(learningRate.base() * scale,
                learningRate.toSchedule(scale, epochs, totalIterations, startIteration, startEpoch));
    }

    /** A fresh updater at {@code scale} × the base rate, whatever the schedule. */
    IUpdater constant(double scale) {
        return build(learningRate.base() * scale, null);
    }

    private IUpdater build(double lr, ISchedule schedule) {
        if (updater.equals("adam")) {
            return schedule == null ? new Adam(lr) : new Adam(schedule);
        }
        return schedule == null ? new Nesterovs(lr, 0.9) : new Nesterovs(schedule, 0.9);
    }
}

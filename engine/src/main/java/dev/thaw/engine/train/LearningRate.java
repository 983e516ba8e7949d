package dev.thaw.engine.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * A base learning rate and how it changes over training: {@code constant}, {@code step} (×0.1 every third of the
 * epochs), {@code cosine} (to zero over the run) or {@code one-cycle} (linear warm-up over the first 30 % of
 * iterations to the base rate, then cosine down to 1/1000 of it).
 */
public record LearningRate(double base, String schedule) {

    public LearningRate {
        if (!(base > 0)) {
            throw new IllegalArgumentException("--lr must be positive, got " + base);
        }
        schedule = schedule == null ? "constant" : schedule.strip().toLowerCase();
        if (!java.util.Set.of("constant", "step", "cosine", "one-cycle").contains(schedule)) {
            throw new IllegalArgumentException("--schedule " + schedule + ": use constant, step, cosine or one-cycle");
        }
    }

    /**
     * The schedule for a run of {@code totalIterations} minibatches over {@code epochs} epochs, scaled by
     * {@code scale} (for later phases and lower blocks), for a phase that starts at {@code startIteration} and
     * {@code startEpoch} and counts its own steps from 0; null for a constant rate.
     */
    ISchedule toSchedule(double scale, int epochs, long totalIterations, long startIteration, int startEpoch) {
        ISchedule run = toSchedule(scale, epochs, totalIterations);
        boolean atStart = startIteration == 0 && startEpoch == 0;
        return run == null || atStart ? run : new Shifted(run, startIteration, startEpoch);
    }

    ISchedule toSchedule(double scale, int epochs, long totalIterations) {
        double lr = base * scale;
        return switch (schedule) {
            case "step" -> new StepSchedule(ScheduleType.EPOCH, lr, 0.1, Math.max(1, epochs / 3));
            case "cosine" -> new Curve(lr, totalIterations, 0);
            case "one-cycle" -> new Curve(lr, totalIterations, 0.3);
            default -> null;
        };
    }

    /**
     * A run-long schedule seen from a phase that starts at {@code iterations}/{@code epochs} into the run. Each phase
     * trains with a fresh updater whose step count starts at 0 (so that Adam's bias correction, which DL4J computes
     * from the iteration count, is right for its fresh moments), while the rate still follows the whole run's curve.
     */
    record Shifted(ISchedule run, long iterations, int epochs) implements ISchedule {
        @Override
        public double valueAt(int iteration, int epoch) {
            return run.valueAt(Math.toIntExact(iteration + iterations), epoch + epochs);
        }

        @Override
        public ISchedule clone() {
            return new Shifted(run.clone(), iterations, epochs);
        }
    }

    /** Cosine decay from the peak, after an optional linear warm-up; DL4J M2.1 ships neither shape. */
    record Curve(double peak, long total, double warmupFraction) implements ISchedule {
        @Override
        public double valueAt(int iteration, int epoch) {
            long warm = (long) (total * warmupFraction);
            if (iteration < warm) {
                return peak * (0.04 + 0.96 * iteration / (double) warm);
            }
            double progress = Math.min(1, (iteration - warm) / (double) Math.max(1, total - warm));
            double floor = warmupFraction > 0 ? peak / 1000 : 0;
            return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }

        @Override
        public ISchedule clone() {
            return new Curve(peak, total, warmupFraction);
        }
    }
}

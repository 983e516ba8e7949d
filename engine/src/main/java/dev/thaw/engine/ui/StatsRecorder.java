package dev.thaw.engine.ui;

import dev.thaw.engine.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Records a run's DL4J statistics (score, update:parameter ratios, parameter and update histograms, learning
 * rates, memory, speed) into its {@link StatsFile}, by putting a DL4J {@link StatsListener} on each graph the run
 * trains, and shows them in the {@link UiServer} when one runs in this JVM.
 *
 * <p>How often it records, and so what it costs, is {@link StatsPace}'s choice (measured: README "Watching
 * training").
 */
public final class StatsRecorder implements TrainingListener, AutoCloseable {

    private final BackgroundStatsWriter writer;
    private final Path runDir;
    private final String session;

    private StatsRecorder(BackgroundStatsWriter writer, Path runDir) {
        this.writer = writer;
        this.runDir = runDir;
        this.session = StatsFile.recordedSession(writer.storage(), runDir); // a resumed run goes on in its session
    }

    /**
     * Starts recording into {@code runDir}'s stats file; warnings (a stats file that fails) go to {@code out}.
     *
     * @throws UiException the stats file cannot be opened
     */
    public static StatsRecorder open(Path runDir, PrintWriter out) {
        StatsRecorder r = new StatsRecorder(new BackgroundStatsWriter(StatsFile.forWriting(runDir), out), runDir);
        UiServer.running().ifPresent(ui -> ui.show(runDir, r.writer.storage()));
        return r;
    }

    /** {@link #open}, or null with a warning on {@code out}: a run never fails because its stats cannot be kept. */
    public static StatsRecorder openOrWarn(Path runDir, PrintWriter out) {
        try {
            return open(runDir, out);
        } catch (UiException e) {
            out.println("warning: " + e.getMessage() + "; training goes on without stats");
            out.flush();
            return null;
        }
    }

    @Override
    public void onGraph(ComputationGraph graph, long firstIteration) {
        long offset = firstIteration - graph.getConfiguration().getIterationCount();
        graph.addListeners(new RunStatsListener(writer, session, offset));
    }

    @Override
    public void close() {
        writer.drain();
        try {
            // before the file closes: the UI lets go of this store (its train module reads it as it does)
            UiServer.running().ifPresent(ui -> ui.recordingEnded(runDir));
        } catch (RuntimeException e) {
            // the run is over and its stats are on disk: the UI failing must not fail it
        }
        writer.close();
    }

    /**
     * DL4J's listener, paced ({@link StatsPace}) and with the run's iteration count: each phase's graph counts its
     * steps from the phase's start (its updater needs that), which would draw every phase over the same iterations
     * of the score chart.
     */
    private static final class RunStatsListener extends StatsListener {
        private final BackgroundStatsWriter writer;
        private final long offset;
        private final StatsPace pace;
        private long cost; // of this step's statistics so far, when it records
        private boolean first = true;

        RunStatsListener(BackgroundStatsWriter router, String session, long offset) {
            this(router, session, offset, new StatsPace());
        }

        private RunStatsListener(BackgroundStatsWriter router, String session, long offset, StatsPace pace) {
            super(router, null, pace, session, "thaw"); // one worker id for the run, also across a resume
            this.writer = router;
            this.offset = offset;
            this.pace = pace;
        }

        /** A step's first call: decides whether the step records. */
        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            long start = System.nanoTime();
            pace.decide(start);
            super.onForwardPass(model, activations);
            cost = pace.due() ? System.nanoTime() - start : 0;
        }

        @Override
        public void onGradientCalculation(Model model) {
            long start = System.nanoTime();
            super.onGradientCalculation(model);
            cost += pace.due() ? System.nanoTime() - start : 0;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            long start = System.nanoTime();
            super.iterationDone(model, (int) (iteration + offset), epoch);
            if (pace.due()) {
                long end = System.nanoTime();
                // the record is written in the background: count what the previous one took there. The first
                // record of a graph also collects its static information (DL4J does that once): not a record's cost
                pace.recorded(end, first ? 0 : cost + end - start + writer.lastWriteNanos());
                first = false;
            }
        }
    }
}

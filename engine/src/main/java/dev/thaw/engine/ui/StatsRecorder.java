package dev.thaw.engine.ui;

import dev.thaw.engine.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;

/**
 * Records a run's DL4J statistics (score, update:parameter ratios, parameter and update histograms, learning
 * rates, memory, speed) into its {@link StatsFile}, by putting a DL4J {@link StatsListener} on each graph the run
 * trains, and shows them in the {@link UiServer} when one runs in this JVM.
 *
 * <p>Cost: see README "Watching training"; {@link #EVERY} is chosen from that measurement. Activation statistics
 * are left out: DL4J keeps every layer's activations of the step to compute them.
 */
public final class StatsRecorder implements TrainingListener, AutoCloseable {

    /** Minibatches between two records (measured: README "Watching training"). */
    public static final int EVERY = 10;

    private final BackgroundStatsWriter writer;
    private final Path runDir;
    private final String session;

    private StatsRecorder(BackgroundStatsWriter writer, Path runDir) {
        this.writer = writer;
        this.runDir = runDir;
        this.session = StatsFile.sessionOf(runDir);
    }

    /** Starts recording into {@code runDir}'s stats file; warnings (a stats file that fails) go to {@code out}. */
    public static StatsRecorder open(Path runDir, PrintWriter out) {
        StatsRecorder r = new StatsRecorder(new BackgroundStatsWriter(StatsFile.forWriting(runDir), out), runDir);
        UiServer.running().ifPresent(ui -> ui.show(runDir, r.writer.storage()));
        return r;
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
     * DL4J's listener with the run's iteration count: each phase's graph counts its steps from the phase's start
     * (its updater needs that), which would draw every phase over the same iterations of the score chart.
     */
    private static final class RunStatsListener extends StatsListener {
        private final long offset;

        RunStatsListener(BackgroundStatsWriter router, String session, long offset) {
            super(router, null, new DefaultStatsUpdateConfiguration.Builder()
                    .reportingFrequency(EVERY)
                    .collectMeanActivations(false).collectStdevActivations(false)
                    .collectMeanMagnitudesActivations(false).collectHistogramsActivations(false)
                    .build(), session, "thaw"); // one worker id for the run, also across a resume
            this.offset = offset;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            super.iterationDone(model, (int) (iteration + offset), epoch);
        }
    }
}

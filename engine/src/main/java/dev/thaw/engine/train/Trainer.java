package dev.thaw.engine.train;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.Split;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.ConvCache;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Executes a strategy's phases epoch by epoch: builds each phase's graph, trains it (from cached features where
 * the phase has a frozen prefix and no augmentation), validates, checkpoints, stops early or on a diverged loss,
 * and resumes from a checkpoint.
 *
 * <p>The master graph is the unfrozen backbone; it always holds the latest weights between phases and is what the
 * trainer returns (with the best validation epoch's weights when early stopping is on).
 */
public final class Trainer {

    /** The trained master graph, per-epoch metrics, and why training ended. */
    public record Result(ComputationGraph model, List<EpochMetrics> history, String stopReason) {
    }

    private final Backbone backbone;
    private final TrainSettings settings;
    private final DataPipeline pipeline;
    private final FeatureCache features;
    private final FeatureCache.Key baseKey;
    private final Checkpoints checkpoints;
    private final List<TrainingListener> listeners;
    private final EpochFitter fitter;

    /**
     * @param baseKey     the feature-cache key without the freeze vertex and data, or null to never use the cache
     * @param checkpoints where to save (and resume from) after each epoch, or null for none
     */
    public Trainer(Backbone backbone, TrainSettings settings, DataPipeline pipeline, FeatureCache features,
                   FeatureCache.Key baseKey, Checkpoints checkpoints, List<TrainingListener> listeners) {
        this(backbone, settings, pipeline, features, baseKey, checkpoints, listeners, EpochFitter.ONE_BY_ONE);
    }

    /** As above, each epoch's steps taken by {@code fitter} (data-parallel on a cluster, say). */
    public Trainer(Backbone backbone, TrainSettings settings, DataPipeline pipeline, FeatureCache features,
                   FeatureCache.Key baseKey, Checkpoints checkpoints, List<TrainingListener> listeners,
                   EpochFitter fitter) {
        this.fitter = fitter;
        this.backbone = backbone;
        this.settings = settings;
        this.pipeline = pipeline;
        this.features = features;
        this.baseKey = baseKey;
        this.checkpoints = checkpoints;
        this.listeners = List.copyOf(listeners);
    }

    public Result fit(ComputationGraph master, List<EpochMetrics> previous) {
        List<Phase> phases = settings.phases(backbone.freezePoints());
        DataSplits splits = pipeline.splits();
        int trainSize = splits.get(Split.TRAIN).size();
        int batchSize = pipeline.options().batchSize();
        int batchesPerEpoch = (trainSize + batchSize - 1) / batchSize;
        int totalEpochs = Phase.endOf(phases);
        PhaseGraphs.Clock clock = PhaseGraphs.Clock.of(phases, batchesPerEpoch);
        boolean hasVal = !splits.get(Split.VAL).isEmpty();

        List<EpochMetrics> history = new ArrayList<>(previous);
        Checkpoints.State state = new Checkpoints.State(0, -1, Double.NEGATIVE_INFINITY, 0);
        ComputationGraph training = null;
        Phase current = null;
        java.util.Optional<Checkpoints.State> saved = checkpoints == null ? java.util.Optional.empty()
                : checkpoints.state();
        if (saved.isPresent()) {
            state = saved.get();
            ComputationGraph restored = checkpoints.restoreLast();
            copyLayers(restored, master);
            Phase last = phaseAt(phases, state.completedEpochs() - 1);
            Phase next = state.completedEpochs() < totalEpochs ? phaseAt(phases, state.completedEpochs()) : null;
            if (next != null && next == last) {
                training = restored;
                current = last;
            }
        }

        DataSetIterator trainIterator = null;
        TransferLearningHelper helper = null;
        DataSet trainFeatures = null;
        DataSet valFeatures = null;
        HeadConvergence convergence = null;
        String stopReason = null;
        for (int epoch = state.completedEpochs(); epoch < totalEpochs; epoch++) {
            Phase phase = phaseAt(phases, epoch);
            boolean featurized = useFeatures(phase);
            // Set up graph and data at a new phase, and at the first epoch of this call (a resumed run whose phase
            // goes on keeps the restored graph, updater state included, but needs its data again).
            boolean setUp = phase != current || helper == null && trainIterator == null;
            if (setUp) {
                if (phase != current) {
                    if (training != null) {
                        flush(training);
                        copyLayers(training, master);
                    }
                    training = PhaseGraphs.build(master, backbone, phase, settings.optimizer(),
                            settings.batchNorm(), clock, settings.seed());
                    current = phase;
                }
                // counted within the phase: its updater is fresh (Adam's bias correction uses this count), and its
                // schedule is shifted to where the phase starts in the run
                training.getConfiguration().setIterationCount((epoch - phase.firstEpoch()) * batchesPerEpoch);
                training.getConfiguration().setEpochCount(epoch - phase.firstEpoch());
                if (featurized) {
                    helper = new TransferLearningHelper(training);
                    ConvCache.apply(helper.unfrozenGraph());
                    trainFeatures = featuresOf(helper, phase, Split.TRAIN);
                    valFeatures = hasVal ? featuresOf(helper, phase, Split.VAL) : null;
                    trainIterator = null;
                } else {
                    helper = null;
                    trainIterator = pipeline.train(settings.seed());
                    skipEpochs(trainIterator, epoch);
                }
                convergence = phase.untilConverged() ? new HeadConvergence() : null;
                ComputationGraph trains = featurized ? helper.unfrozenGraph() : training;
                for (TrainingListener l : listeners) {
                    l.onPhaseStart(phase, featurized);
                    l.onGraph(trains, (long) epoch * batchesPerEpoch);
                }
            }

            long start = System.nanoTime();
            EpochTally tally = fitEpoch(featurized ? helper.unfrozenGraph() : training, featurized ? trainFeatures
                    : null, trainIterator, epoch, batchesPerEpoch, batchSize, state);
            if (featurized) {
                copyLayers(helper.unfrozenGraph(), training);
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double valAccuracy = Double.NaN;
            if (hasVal) {
                valAccuracy = featurized ? accuracy(helper.unfrozenGraph(), valFeatures)
                        : accuracy(training, pipeline.evaluation(Split.VAL));
            }
            EpochMetrics metrics = new EpochMetrics(epoch, phase.toString(), tally.meanLoss(), valAccuracy,
                    (System.nanoTime() - start) / 1e9, tally.images / trainSeconds, featurized);
            history.add(metrics);
            // the epoch's record (metrics.csv) before the checkpoint that counts it: a kill in between leaves the
            // record one epoch ahead, which a resumed run drops and redoes; the other order would lose the epoch's
            // line for good, as the resumed run starts after it
            for (TrainingListener l : listeners) {
                l.onEpochEnd(metrics);
            }
            state = advance(state, metrics, training);
            if (StopSignal.requested().isPresent()) {
                flush(training); // the epochs the paced checkpoints held back
                throw stopped(state);
            }
            if (phase.untilConverged()) {
                ComputationGraph head = featurized ? helper.unfrozenGraph() : null;
                String ended = convergedHeadEnds(phase, epoch, metrics, convergence, featurized ? valFeatures : null,
                        head);
                if (ended != null) {
                    if (head != null) {
                        copyLayers(head, training); // the head that goes on
                    }
                    state = skipTo(state, phase.endEpoch(), training);
                    for (TrainingListener l : listeners) {
                        l.onPhaseEnd(phase, ended);
                    }
                    epoch = phase.endEpoch() - 1; // the loop goes on with the next phase's first epoch
                }
                continue; // the run's --patience applies from the next phase on
            }
            if (settings.patience() > 0 && state.sinceBest() >= settings.patience()) {
                stopReason = "early stop: no better validation accuracy for " + settings.patience()
                        + " epochs (best " + String.format("%.4f", state.bestScore()) + " at epoch "
                        + (state.bestEpoch() + 1) + ")";
                break;
            }
        }
        if (training != null) {
            flush(training);
            copyLayers(training, master);
        }
        if (checkpoints != null) {
            checkpoints.finished();
        }
        if (settings.patience() > 0 && checkpoints != null) {
            checkpoints.restoreBest().ifPresent(best -> copyLayers(best, master));
        }
        return new Result(master, history, stopReason != null ? stopReason
                : "completed " + history.size() + " epochs");
    }

    /**
     * The learning-rate range test ({@link LrRangeTest}) of the strategy's last phase — the one its {@code --lr}
     * trains the longest — on a copy of {@code master} (left unchanged), from the data a run would train on: the
     * cached features of the frozen prefix where the phase has one, else the image pipeline. The rates are base
     * rates, as {@code --lr} means them (the phase's head and block factors apply on top).
     */
    public LrRangeTest.Curve rangeTest(ComputationGraph master, double start, double end, int steps) {
        List<Phase> phases = settings.phases(backbone.freezePoints());
        Phase phase = phases.get(phases.size() - 1);
        Optimizer atOne = new Optimizer(settings.optimizer().updater(), new LearningRate(1, "constant"),
                settings.optimizer().weightDecay());
        ComputationGraph graph = PhaseGraphs.build(master.clone(), backbone, phase, atOne, settings.batchNorm(),
                new PhaseGraphs.Clock(1, steps, 0), settings.seed());
        int batchSize = pipeline.options().batchSize();
        if (useFeatures(phase)) {
            TransferLearningHelper helper = new TransferLearningHelper(graph);
            ConvCache.apply(helper.unfrozenGraph());
            DataSet features = featuresOf(helper, phase, Split.TRAIN);
            List<DataSet> batches = new ArrayList<>();
            for (int epoch = 0; batches.size() < steps; epoch++) {
                batches.addAll(FeatureCache.minibatches(features, batchSize, settings.seed(), epoch));
            }
            return LrRangeTest.run(helper.unfrozenGraph(), batches.iterator(), start, end, steps);
        }
        DataSetIterator images = pipeline.train(settings.seed());
        Iterator<DataSet> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public DataSet next() {
                if (!images.hasNext()) {
                    images.reset(); // the next epoch's order
                    images.hasNext(); // a prefetching iterator fetches its first batch here
                }
                return images.next();
            }
        };
        return LrRangeTest.run(graph, endless, start, end, steps);
    }

    /** Losses and images of the epoch being trained. */
    private static final class EpochTally {
        double lossSum;
        int steps;
        long images;

        double meanLoss() {
            return lossSum / Math.max(1, steps);
        }
    }

    /**
     * One epoch of {@code graph}: over this epoch's shuffled minibatches of cached {@code features}, or over the
     * image pipeline {@code images} when there are none; through the {@link EpochFitter}.
     */
    private EpochTally fitEpoch(ComputationGraph graph, DataSet features, DataSetIterator images, int epoch,
                                int batchesPerEpoch, int batchSize, Checkpoints.State state) {
        Iterator<DataSet> batches;
        int expected;
        if (features != null) {
            List<DataSet> minibatches = FeatureCache.minibatches(features, batchSize, settings.seed(), epoch);
            batches = minibatches.iterator();
            expected = minibatches.size();
        } else {
            if (!images.hasNext()) {
                images.reset();
            }
            batches = images;
            expected = batchesPerEpoch;
        }
        EpochTally tally = new EpochTally();
        fitter.fit(graph, batches, (loss, n) -> {
            tally.lossSum += checkLoss(loss, epoch, tally.steps);
            tally.images += n;
            notifyBatch(epoch, tally.steps++, expected, loss, n);
            stopIfNothingIsLost(state);
        });
        return tally;
    }

    /**
     * After an epoch of a converging head phase: null while it goes on; when it ends (converged, at its cap, or
     * unable to converge), the best head is put back into {@code head} and the reason is returned. Converging needs
     * cached validation features ({@code valFeatures} and the {@code head} graph trained on cached features; null
     * without them) and cheap epochs: without a validation split or cached features the head gets one epoch, as in
     * fastai's {@code fine_tune}.
     */
    private static String convergedHeadEnds(Phase phase, int epoch, EpochMetrics metrics,
                                            HeadConvergence convergence, DataSet valFeatures, ComputationGraph head) {
        if (valFeatures == null) {
            return "the head trained 1 epoch: training it until it converges needs cached features (no --augment, "
                    + "no --no-feature-cache) and a validation split";
        }
        convergence.epochEnded(epoch, metrics.valAccuracy(), head.score(valFeatures), head);
        boolean capped = epoch == phase.endEpoch() - 1;
        if (!convergence.converged() && !capped) {
            return null;
        }
        String kept = convergence.keepBest(head);
        return (capped ? "the head trained all " + phase.epochs() + " epochs" : "the head converged after "
                + (epoch - phase.firstEpoch() + 1) + " epochs") + "; " + kept;
    }

    /**
     * Continues the run at {@code epoch} (the epochs in between are not needed), checkpointing the graph as it is
     * now so that a resumed run starts there too. The run's early-stopping count starts afresh.
     */
    private Checkpoints.State skipTo(Checkpoints.State s, int epoch, ComputationGraph training) {
        Checkpoints.State next = new Checkpoints.State(epoch, s.bestEpoch(), s.bestScore(), 0);
        if (checkpoints != null) {
            checkpoints.epochEnded(training, next, false, 0);
            checkpoints.flush(training);
        }
        return next;
    }

    private Checkpoints.State advance(Checkpoints.State s, EpochMetrics m, ComputationGraph training) {
        boolean better = !Double.isNaN(m.valAccuracy()) && m.valAccuracy() > s.bestScore();
        Checkpoints.State next = better
                ? new Checkpoints.State(m.epoch() + 1, m.epoch(), m.valAccuracy(), 0)
                : new Checkpoints.State(m.epoch() + 1, s.bestEpoch(), s.bestScore(), s.sinceBest() + 1);
        if (checkpoints != null) {
            checkpoints.epochEnded(training, next, better, m.seconds());
        }
        return next;
    }

    /**
     * On a stop request mid-epoch: abandon the epoch when every finished one is already on disk (nothing is lost),
     * else let it finish — it is short, as checkpoints are held back only while epochs are cheap — and stop after
     * it, once the checkpoint holds it.
     */
    private void stopIfNothingIsLost(Checkpoints.State state) {
        if (StopSignal.requested().isPresent() && (checkpoints == null || !checkpoints.holdsBack())) {
            throw stopped(state);
        }
    }

    private TrainingStoppedException stopped(Checkpoints.State state) {
        String signal = StopSignal.requested().orElse("a request");
        return new TrainingStoppedException(signal, state.completedEpochs(), "stopped by " + signal + " with "
                + state.completedEpochs() + " finished epoch(s) in the checkpoint"
                + (checkpoints == null ? " (none: this run keeps no checkpoints)" : ""));
    }

    private void flush(ComputationGraph training) {
        if (checkpoints != null) {
            checkpoints.flush(training);
        }
    }

    private boolean useFeatures(Phase phase) {
        return settings.featureCache() && baseKey != null && !phase.frozen().isNone()
                && pipeline.options().augmentation().isNone();
    }

    private DataSet featuresOf(TransferLearningHelper helper, Phase phase, Split split) {
        FeatureCache.Key key = baseKey.at(phase.frozen().vertex(), pipeline.splits(), split);
        return features.get(key, helper, () -> pipeline.evaluation(split)).get(0);
    }

    /** The data pipeline shuffles by epoch number; a resumed run continues the same sequence. */
    private static void skipEpochs(DataSetIterator it, int epochs) {
        for (int e = 0; e < epochs; e++) {
            it.reset();
        }
    }

    private double checkLoss(double loss, int epoch, int batch) {
        if (!Double.isFinite(loss)) {
            int kept = checkpoints == null ? 0 : checkpoints.writtenEpochs();
            String where = checkpoints == null ? ""
                    : kept == 0 ? " No checkpoint had been written yet."
                    : " The last good checkpoint (after epoch " + kept + ") is kept in " + checkpoints.directory()
                    + ".";
            throw new TrainingDivergedException("training diverged: the loss became " + loss + " at epoch "
                    + (epoch + 1) + ", batch " + (batch + 1) + ". Lower --lr (now "
                    + settings.optimizer().learningRate().base() + "), or freeze more layers." + where);
        }
        return loss;
    }

    private void notifyBatch(int epoch, int batch, int batches, double loss, int examples) {
        for (TrainingListener l : listeners) {
            l.onBatch(epoch, batch, batches, loss, examples);
        }
    }

    private static double accuracy(ComputationGraph graph, DataSetIterator data) {
        Evaluation e = graph.evaluate(data);
        return e.accuracy();
    }

    private static double accuracy(ComputationGraph head, DataSet features) {
        Evaluation e = new Evaluation();
        e.eval(features.getLabels(), head.outputSingle(features.getFeatures()));
        return e.accuracy();
    }

    private static Phase phaseAt(List<Phase> phases, int epoch) {
        for (Phase p : phases) {
            if (p.contains(epoch)) {
                return p;
            }
        }
        return phases.get(phases.size() - 1);
    }

    /** Copies parameters of every layer {@code from} has into the same-named layers of {@code to}. */
    static void copyLayers(ComputationGraph from, ComputationGraph to) {
        for (GraphVertex v : from.getVertices()) {
            if (v.hasLayer() && v.getLayer().numParams() > 0 && to.getVertex(v.getVertexName()) != null) {
                to.getLayer(v.getVertexName()).params().assign(v.getLayer().params());
            }
        }
    }
}

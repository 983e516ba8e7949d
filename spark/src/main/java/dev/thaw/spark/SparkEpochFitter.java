package dev.thaw.spark;

import dev.thaw.engine.train.EpochFitter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An epoch trained data-parallel with dl4j-spark's {@link SparkComputationGraph} and
 * {@link ParameterAveragingTrainingMaster}: the epoch's minibatches (cached features, or decoded images) are
 * spread over the slots, each worker trains a copy of the graph, and the copies' parameters and updater states are
 * averaged every {@value #AVERAGING_FREQUENCY} minibatches and at the end, back into the driver's graph. What the
 * strategy freezes is put back bit for bit afterwards: averaging equal values can be off by an ulp. The loss it
 * reports is the averaged graph's mean loss over the epoch's minibatches (a local run reports the mean of the
 * losses during the epoch).
 */
final class SparkEpochFitter implements EpochFitter {

    /** Minibatches each worker fits between averagings (dl4j-spark's default). */
    static final int AVERAGING_FREQUENCY = 5;

    /** Seeds how minibatches are dealt to workers: fixed, so that a rerun deals them alike. */
    private static final long DEAL_SEED = 42;

    private final JavaSparkContext sc;
    private final int workers;

    SparkEpochFitter(JavaSparkContext sc, int workers) {
        this.sc = sc;
        this.workers = workers;
    }

    @Override
    public void fit(ComputationGraph graph, Iterator<DataSet> batches, Steps steps) {
        List<DataSet> epoch = new ArrayList<>();
        int images = 0;
        int batchSize = 0;
        while (batches.hasNext()) {
            DataSet b = batches.next();
            // the image pipeline hands out batches from a cyclic workspace it overwrites: keep copies
            epoch.add(new DataSet(b.getFeatures().dup(), b.getLabels().dup()));
            images += b.numExamples();
            batchSize = Math.max(batchSize, b.numExamples());
        }
        if (epoch.isEmpty()) {
            return;
        }
        Map<String, INDArray> frozen = frozenParameters(graph);
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(batchSize)
                .averagingFrequency(AVERAGING_FREQUENCY).workerPrefetchNumBatches(0).rngSeed(DEAL_SEED)
                .rddTrainingApproach(RDDTrainingApproach.Direct).build(); // Export would write to hadoop.tmp.dir
        SparkComputationGraph parallel = new SparkComputationGraph(sc, graph, master);
        JavaRDD<DataSet> data = sc.parallelize(epoch, Math.min(workers, epoch.size()));
        parallel.fit(data);
        frozen.forEach((name, params) -> graph.getLayer(name).params().assign(params));
        // dl4j-spark's own score is the workers' last minibatches' (4 minibatches of noise on a small epoch); the
        // epoch's loss is measured instead, with the averaged graph on the cluster: one more forward pass per image
        steps.stepped(parallel.calculateScore(data, true), images);
    }

    /** Copies of the parameters of every frozen layer of {@code graph}. */
    private static Map<String, INDArray> frozenParameters(ComputationGraph graph) {
        Map<String, INDArray> frozen = new LinkedHashMap<>();
        for (Layer layer : graph.getLayers()) {
            if ((layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) && layer.numParams() > 0) {
                frozen.put(layer.conf().getLayer().getLayerName(), layer.params().dup());
            }
        }
        return frozen;
    }
}

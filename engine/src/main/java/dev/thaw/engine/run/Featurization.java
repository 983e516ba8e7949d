package dev.thaw.engine.run;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.Item;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import dev.thaw.engine.train.FeatureCache;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.FreezePoint;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.weights.LoadedModel;
import dev.thaw.zoo.weights.WeightSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The features of a backbone's frozen part at one freeze point, for every split of a dataset: what {@code thaw
 * featurize} stores in the feature cache ahead of training. The whole of a split here ({@link #featurize}), or a
 * slice of it ({@link #slice}: what a cluster task computes); the entries' keys are the ones training looks up.
 */
public final class Featurization {

    /**
     * What to featurize: the same choices {@code train} takes, so that the keys match.
     *
     * @param freeze freeze point whose output is stored
     */
    public record Request(String model, String input, String weights, String freeze, String data, boolean strict,
                          SplitPlan plan) {
    }

    private final Request request;
    private final Backbone backbone;
    private final InputShape shape;
    private final FreezePoint point;
    private final DataSplits splits;
    private final LoadedModel loaded;
    private final FeatureCache.Key base;

    private Featurization(Request request, Backbone backbone, InputShape shape, FreezePoint point,
                          DataSplits splits, LoadedModel loaded) {
        this.request = request;
        this.backbone = backbone;
        this.shape = shape;
        this.point = point;
        this.splits = splits;
        this.loaded = loaded;
        this.base = new FeatureCache.Key(backbone.name(), loaded.fingerprint(), "", shape.toString(),
                backbone.normalization().name(), "");
    }

    /** Reads the data's index, cuts the splits and loads the weights. */
    public static Featurization prepare(Request r) {
        Backbone backbone = Backbones.get(r.model());
        InputShape shape = r.input() == null ? backbone.nativeInput() : InputShape.parse(r.input());
        FreezePoint point = backbone.freezePoints().resolve(r.freeze());
        if (point.isNone()) {
            throw new IllegalArgumentException("--freeze none leaves nothing frozen to featurize: pick a freeze point. "
                    + backbone.freezePoints().choices());
        }
        DataSplits splits = Splitter.split(DataSource.open(r.data(), r.strict()), r.plan());
        LoadedModel loaded = WeightSource.parse(r.weights()).load(backbone, shape, splits.numClasses(),
                r.plan().seed());
        return new Featurization(r, backbone, shape, point, splits, loaded);
    }

    /** What was asked (a cluster ships it to its executors, which prepare their own). */
    public Request request() {
        return request;
    }

    /** The splits that have images. */
    public List<Split> splits() {
        return Arrays.stream(Split.values()).filter(s -> !splits.get(s).isEmpty()).toList();
    }

    public int size(Split split) {
        return splits.get(split).size();
    }

    public FreezePoint point() {
        return point;
    }

    /** Images per forward pass (a cluster cuts slices at multiples of it, so batches are the ones cut here). */
    public int batch() {
        return pipeline(splits).evaluationBatch();
    }

    /** The cache key of {@code split}'s features. */
    public FeatureCache.Key key(Split split) {
        return base.at(point.vertex(), splits, split);
    }

    /** The whole split's features, from {@code cache} or computed into it. */
    public DataSet featurize(FeatureCache cache, Split split) {
        return cache.featurize(loaded.graph(), point, base, pipeline(splits), split);
    }

    /** The features of images {@code from} (inclusive) to {@code to} of {@code split}, computed now. */
    public DataSet slice(Split split, int from, int to) {
        List<Item> items = splits.get(split).subList(from, to);
        DataSplits part = new DataSplits(splits.dataset(), splits.plan(), splits.labels(), Map.of(split, items));
        ComputationGraph frozen = new TransferLearning.GraphBuilder(loaded.graph())
                .setFeatureExtractor(point.vertex()).build();
        return FeatureCache.compute(point.vertex(), new TransferLearningHelper(frozen),
                pipeline(part).evaluation(split));
    }

    private DataPipeline pipeline(DataSplits of) {
        return new DataPipeline(of, shape, backbone.normalization(), PipelineOptions.DEFAULT,
                new DecodeCache(FineTune.cacheDir().resolve("decoded"), 2L << 30));
    }
}

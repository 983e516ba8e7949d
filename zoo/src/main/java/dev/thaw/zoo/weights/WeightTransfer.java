package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.GraphParts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Copies parameters from a loaded model into a freshly built backbone graph, checking that they belong there.
 *
 * <p>Every source goes through this one step so that input size and class count are always the caller's, never
 * the file's. The body (everything up to the deepest freeze point) must match the backbone exactly, or the file
 * is rejected as another architecture; head layers are copied when their shapes fit and re-initialised otherwise.
 * Vertices are matched by name; a file that shares no body names with the backbone (e.g. a Keras export, which
 * names its layers differently) is matched by the order of its parameterised layers instead.
 */
final class WeightTransfer {

    private WeightTransfer() {
    }

    /** @return the target vertices left with fresh weights */
    static List<String> copy(ComputationGraph source, ComputationGraph target, Backbone backbone, String what) {
        GraphParts targetParts = new GraphParts(target);
        Set<String> body = new HashSet<>(targetParts.frozenBy(backbone.freezePoints().deepest()));
        List<String> targetLayers = targetParts.parameterizedVertices();
        Map<String, String> sourceFor = match(source, targetLayers, body, backbone, what);

        List<String> reinitialized = new ArrayList<>();
        for (String vertex : targetLayers) {
            String from = sourceFor.get(vertex);
            Layer to = target.getLayer(vertex);
            String mismatch = from == null ? "missing" : shapeMismatch(source.getLayer(from), to);
            if (mismatch == null && !vertex.equals(backbone.outputVertex())) {
                copyParams(source.getLayer(from), to);
            } else if (!body.contains(vertex) || backbone.inputSizeDependentVertices().contains(vertex)) {
                reinitialized.add(vertex);
            } else {
                throw new WeightsException(what + " does not fit backbone " + backbone.name() + ": layer '" + vertex
                        + "' is " + mismatch + ". Was it saved from another architecture? Pick the backbone it was "
                        + "trained as (--model), or use --weights random.");
            }
        }
        NewHead.zeroIfNew(target, backbone, reinitialized);
        return reinitialized;
    }

    private static Map<String, String> match(ComputationGraph source, List<String> targetLayers, Set<String> body,
                                             Backbone backbone, String what) {
        List<String> sourceLayers = new GraphParts(source).parameterizedVertices();
        Set<String> sourceNames = new HashSet<>(sourceLayers);
        boolean anyBodyName = targetLayers.stream().anyMatch(v -> body.contains(v) && sourceNames.contains(v));
        Map<String, String> byName = new HashMap<>();
        if (anyBodyName) {
            for (String v : targetLayers) {
                if (sourceNames.contains(v)) {
                    byName.put(v, v);
                }
            }
            return byName;
        }
        long bodyLayers = targetLayers.stream().filter(body::contains).count();
        if (sourceLayers.size() < bodyLayers) {
            throw new WeightsException(what + " does not fit backbone " + backbone.name() + ": it has "
                    + sourceLayers.size() + " layers with weights, the backbone's body alone has " + bodyLayers
                    + ". Pick the backbone it was trained as (--model), or use --weights random.");
        }
        for (int i = 0; i < targetLayers.size() && i < sourceLayers.size(); i++) {
            byName.put(targetLayers.get(i), sourceLayers.get(i));
        }
        return byName;
    }

    /**
     * DL4J's BatchNormalization stores its running variance either as {@code var} or, with {@code useLogStd} (the
     * default since 1.0.0-beta4), as {@code log10stdev} = log10(sqrt(var)). Files from Keras or older DL4J use the
     * first, freshly built graphs the second; both describe the same layer, so they are converted, not rejected.
     */
    private static final String VAR = "var";
    private static final String LOG_STD = "log10stdev";

    private static void copyParams(Layer from, Layer to) {
        Map<String, INDArray> source = from.paramTable();
        for (Map.Entry<String, INDArray> p : to.paramTable().entrySet()) {
            String key = p.getKey();
            INDArray target = p.getValue();
            if (source.containsKey(key)) {
                target.assign(source.get(key));
            } else if (key.equals(LOG_STD)) {
                target.assign(Transforms.log(source.get(VAR), 10, true).muli(0.5));
            } else {
                INDArray log10Std = source.get(LOG_STD);
                INDArray ten = Nd4j.valueArrayOf(log10Std.shape(), 10.0, log10Std.dataType());
                target.assign(Transforms.pow(ten, log10Std.mul(2), false));
            }
        }
    }

    private static Set<String> canonicalKeys(Map<String, INDArray> params) {
        Set<String> keys = new HashSet<>(params.keySet());
        if (keys.remove(LOG_STD)) {
            keys.add(VAR);
        }
        return keys;
    }

    /** @return why the two layers' parameters differ, or null when every parameter has the same shape */
    private static String shapeMismatch(Layer from, Layer to) {
        Map<String, INDArray> a = from.paramTable();
        Map<String, INDArray> b = to.paramTable();
        if (!canonicalKeys(a).equals(canonicalKeys(b))) {
            return "a different kind of layer (parameters " + a.keySet() + " in the file, " + b.keySet()
                    + " expected)";
        }
        for (String key : b.keySet()) {
            INDArray sourceParam = a.containsKey(key) ? a.get(key) : a.get(key.equals(VAR) ? LOG_STD : VAR);
            if (!Arrays.equals(sourceParam.shape(), b.get(key).shape())) {
                return "shaped " + Arrays.toString(sourceParam.shape()) + " for '" + key + "' in the file, "
                        + Arrays.toString(b.get(key).shape()) + " expected";
            }
        }
        return null;
    }
}

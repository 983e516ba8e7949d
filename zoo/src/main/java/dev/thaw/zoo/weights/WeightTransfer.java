package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.GraphParts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

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
            if (mismatch == null) {
                for (Map.Entry<String, INDArray> p : source.getLayer(from).paramTable().entrySet()) {
                    to.getParam(p.getKey()).assign(p.getValue());
                }
            } else if (!body.contains(vertex) || backbone.inputSizeDependentVertices().contains(vertex)) {
                reinitialized.add(vertex);
            } else {
                throw new WeightsException(what + " does not fit backbone " + backbone.name() + ": layer '" + vertex
                        + "' is " + mismatch + ". Was it saved from another architecture? Pick the backbone it was "
                        + "trained as (--model), or use --weights random.");
            }
        }
        return reinitialized;
    }

    private static Map<String, String> match(ComputationGraph source, List<String> targetLayers, Set<String> body,
                                             Backbone backbone, String what) {
        List<String> sourceLayers = new GraphParts(source).parameterizedVertices();
        Set<String> sourceNames = new HashSet<>(sourceLayers);
        boolean anyBodyName = targetLayers.stream().anyMatch(v -> body.contains(v) && sourceNames.contains(v));
        Map<String, String> byName = new java.util.HashMap<>();
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

    /** @return why the two layers' parameters differ, or null when every parameter has the same shape */
    private static String shapeMismatch(Layer from, Layer to) {
        Map<String, INDArray> a = from.paramTable();
        Map<String, INDArray> b = to.paramTable();
        if (!a.keySet().equals(b.keySet())) {
            return "a different kind of layer (parameters " + a.keySet() + " in the file, " + b.keySet()
                    + " expected)";
        }
        for (String key : b.keySet()) {
            if (!Arrays.equals(a.get(key).shape(), b.get(key).shape())) {
                return "shaped " + Arrays.toString(a.get(key).shape()) + " for '" + key + "' in the file, "
                        + Arrays.toString(b.get(key).shape()) + " expected";
            }
        }
        return null;
    }
}

package dev.thaw.zoo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which vertices of a built graph a freeze point covers, and how many parameters they hold.
 *
 * <p>Mirrors DL4J's rule for {@code setFeatureExtractor(vertex)}: the vertex and every vertex it depends on are
 * frozen. Kept in one place so that {@code inspect}, the engine's freeze checks and the weight loaders agree.
 */
public final class GraphParts {

    private final ComputationGraph graph;

    public GraphParts(ComputationGraph graph) {
        this.graph = graph;
    }

    /** The vertices frozen when freezing at {@code point}: the point and all its ancestors (none for NONE). */
    public Set<String> frozenBy(FreezePoint point) {
        Set<String> seen = new LinkedHashSet<>();
        if (point.isNone()) {
            return seen;
        }
        Map<String, List<String>> inputs = graph.getConfiguration().getVertexInputs();
        if (!inputs.containsKey(point.vertex())) {
            throw new IllegalStateException("freeze point " + point + " names a vertex this graph does not have");
        }
        Deque<String> todo = new ArrayDeque<>(List.of(point.vertex()));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                todo.addAll(inputs.getOrDefault(v, List.of()));
            }
        }
        return seen;
    }

    /** Parameters of one vertex; 0 for inputs and parameter-free vertices. */
    public long params(String vertex) {
        GraphVertex v = graph.getVertex(vertex);
        return v == null || !v.hasLayer() ? 0 : v.getLayer().numParams();
    }

    public long params(Set<String> vertices) {
        return vertices.stream().mapToLong(this::params).sum();
    }

    public long totalParams() {
        return graph.numParams();
    }

    /**
     * Parameters that gradient descent changes when freezing at {@code point}: those behind it, less BatchNorm's
     * running statistics (DL4J stores them as parameters, but they are averaged, never trained) and, when
     * {@code batchNormTrains} is false ({@link FrozenBatchNorm}), BatchNorm's scale and shift too. What PyTorch's
     * {@code requires_grad} count gives for the same model.
     */
    public long trainableParams(FreezePoint point, boolean batchNormTrains) {
        Set<String> frozen = frozenBy(point);
        long n = 0;
        for (GraphVertex v : graph.getVertices()) {
            if (!v.hasLayer() || frozen.contains(v.getVertexName())) {
                continue;
            }
            boolean batchNorm = v.getLayer() instanceof BatchNormalization;
            for (Map.Entry<String, INDArray> p : v.getLayer().paramTable().entrySet()) {
                boolean statistic = !p.getKey().equals(BatchNormalizationParamInitializer.GAMMA)
                        && !p.getKey().equals(BatchNormalizationParamInitializer.BETA);
                if (!batchNorm || (batchNormTrains && !statistic)) {
                    n += p.getValue().length();
                }
            }
        }
        return n;
    }

    /** Names of every vertex that holds parameters, in DL4J's topological order. */
    public List<String> parameterizedVertices() {
        return java.util.Arrays.stream(graph.getVertices())
                .filter(v -> v.hasLayer() && v.getLayer().numParams() > 0)
                .map(GraphVertex::getVertexName)
                .toList();
    }
}

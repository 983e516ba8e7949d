package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.GraphParts;
import dev.thaw.zoo.InputShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weights from a PyTorch {@code state_dict} file ({@code torchvision:PATH.pth}), for the backbones built in
 * torchvision's layout ({@code resnet18}, {@code resnet50-tv}, {@code vgg16-tv}), whose vertices carry torchvision's module names.
 *
 * <p>Each key is {@code MODULE.PARAM}: convolution weights are {@code [out, in, kh, kw]} in both libraries; a
 * linear layer's {@code [out, in]} weight is DL4J's {@code [in, out]} transposed; BatchNorm's {@code weight},
 * {@code bias}, {@code running_mean}, {@code running_var} are DL4J's gamma, beta, mean and variance (stored as
 * {@code log10(std)} when a layer uses DL4J's {@code useLogStd}). Every body key must be present with its shape,
 * and every key of the file must be used (but BatchNorm's {@code num_batches_tracked}, which DL4J does not keep),
 * or the file is refused naming the key. Layers after the body are copied when their shapes fit, but the output
 * layer, which always starts anew ({@link NewHead}).
 */
public final class TorchvisionWeights implements WeightSource {

    private final Path file;

    public TorchvisionWeights(Path file) {
        this.file = file;
    }

    @Override
    public String describe() {
        return "torchvision:" + file;
    }

    @Override
    public LoadedModel load(Backbone backbone, InputShape input, int numClasses, long seed) {
        return load(backbone, input, numClasses, seed, false);
    }

    /** @param keepHead also copy the output layer (for comparing with the file's own model, never for transfer) */
    LoadedModel load(Backbone backbone, InputShape input, int numClasses, long seed, boolean keepHead) {
        if (!backbone.readsTorchvisionStateDicts()) {
            throw new WeightsException(backbone.name() + " is not built in torchvision's layout, so " + file
                    + " cannot load into it: use --model resnet18, resnet50-tv or vgg16-tv");
        }
        StateDict dict = StateDict.read(file);
        ComputationGraph target = backbone.build(input, numClasses, seed);
        List<String> fresh = copy(dict, target, backbone, keepHead);
        return new LoadedModel(target, describe(), "sha256:" + FileChecksums.sha256(file), fresh);
    }

    /** Copies {@code dict} into {@code target}; returns the head vertices left with fresh weights. */
    private List<String> copy(StateDict dict, ComputationGraph target, Backbone backbone, boolean keepHead) {
        GraphParts parts = new GraphParts(target);
        Set<String> body = parts.frozenBy(backbone.freezePoints().deepest());
        Map<String, StateDict.Tensor> unused = new LinkedHashMap<>(dict.tensors());
        unused.keySet().removeIf(k -> k.endsWith(".num_batches_tracked"));
        List<String> reinitialized = new ArrayList<>();
        for (String vertex : parts.parameterizedVertices()) {
            Layer layer = target.getLayer(vertex);
            Map<String, INDArray> values = new LinkedHashMap<>();
            String problem = null;
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                ParamMapping m = ParamMapping.of(p.getKey());
                String key = vertex + "." + m.torchName();
                StateDict.Tensor t = unused.get(key);
                if (t == null) {
                    problem = "'" + key + "' is missing";
                    break;
                }
                if (!m.shapeFits(t, p.getValue())) {
                    problem = "'" + key + "' is shaped " + t + ", " + Arrays.toString(m.expectedShape(p.getValue()))
                            + " expected";
                    break;
                }
                values.put(p.getKey(), m.toDl4j(t));
            }
            if (problem == null && (keepHead || !vertex.equals(backbone.outputVertex()))) {
                values.forEach((param, value) -> layer.paramTable().get(param).assign(value.reshape(
                        layer.paramTable().get(param).shape())));
            } else if (!body.contains(vertex)) {
                reinitialized.add(vertex);
            } else {
                throw new WeightsException(file + " does not fit backbone " + backbone.name() + ": " + problem
                        + ". Was it saved from another architecture? Pick the backbone it was trained as (--model).");
            }
            for (String param : layer.paramTable().keySet()) {
                unused.remove(vertex + "." + ParamMapping.of(param).torchName());
            }
        }
        if (!unused.isEmpty()) {
            throw new WeightsException(file + " has keys " + backbone.name() + " has no place for, e.g. '"
                    + unused.keySet().iterator().next() + "' (" + unused.size() + " in all). Was it saved from "
                    + "another architecture? Pick the backbone it was trained as (--model).");
        }
        NewHead.zeroIfNew(target, backbone, reinitialized);
        return reinitialized;
    }

    /** How one DL4J parameter is written in a state_dict. */
    private enum ParamMapping {
        WEIGHT("weight"), BIAS("bias"), GAMMA("weight"), BETA("bias"), MEAN("running_mean"), VAR("running_var"),
        LOG_STD("running_var");

        private final String torchName;

        ParamMapping(String torchName) {
            this.torchName = torchName;
        }

        String torchName() {
            return torchName;
        }

        static ParamMapping of(String dl4jParam) {
            return switch (dl4jParam) {
                case "W" -> WEIGHT;
                case "b" -> BIAS;
                case "gamma" -> GAMMA;
                case "beta" -> BETA;
                case "mean" -> MEAN;
                case "var" -> VAR;
                case "log10stdev" -> LOG_STD;
                default -> throw new WeightsException("DL4J parameter '" + dl4jParam + "' has no torchvision "
                        + "counterpart");
            };
        }

        /** The tensor as DL4J holds it: linear weights transposed, variance as log10(std) where DL4J wants it. */
        INDArray toDl4j(StateDict.Tensor t) {
            INDArray a = Nd4j.create(t.values(), t.shape(), 'c');
            if (this == WEIGHT && t.shape().length == 2) {
                return a.transpose().dup('c');
            }
            if (this == LOG_STD) {
                return org.nd4j.linalg.ops.transforms.Transforms.log(a, 10, true).muli(0.5);
            }
            return a;
        }

        boolean shapeFits(StateDict.Tensor t, INDArray dl4j) {
            return Arrays.equals(Arrays.stream(t.shape()).filter(d -> d != 1).toArray(),
                    Arrays.stream(expectedShape(dl4j)).filter(d -> d != 1).toArray());
        }

        /** DL4J's shape in torchvision's order, for messages and checks. */
        long[] expectedShape(INDArray dl4j) {
            long[] s = dl4j.shape();
            if (this == WEIGHT && s.length == 2) {
                return new long[] {s[1], s[0]};
            }
            return s;
        }
    }
}

package dev.thaw.zoo;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A BatchNorm layer that stays in inference mode while the layers around it train: it normalizes with its running
 * statistics and never changes them or its scale and shift (torchvision's {@code FrozenBatchNorm2d}, what PyTorch
 * users get from {@code bn.eval()} while fine-tuning). Gradients flow through it to the layers below.
 *
 * <p>Why: fine-tuning a pretrained network on a few labels with BatchNorm in training mode normalizes each layer by
 * the statistics of one 32-image batch instead of the pretrained ones. The features the new head sees shift from
 * batch to batch and away from those it was fitted on: in PyTorch and in DL4J alike, ResNet50 fine-tuned on 20
 * labels per class lost 10–20 points to that (benchmarks/results/parity.md).
 *
 * <p>Same parameters, in the same order, as DL4J's {@link BatchNormalization} (gamma, beta, mean, variance or
 * log10 std), so weights copy between the two unchanged; all of them are held fixed (no-op updater, zero gradient).
 * DL4J's own {@code FrozenLayerWithBackprop} cannot do this: it runs the layer in inference mode but passes back the
 * training-mode BatchNorm gradient.
 */
public final class FrozenBatchNorm extends BatchNormalization {

    /** For DL4J's JSON deserialization of saved training graphs (checkpoints). */
    public FrozenBatchNorm() {
    }

    /** The frozen counterpart of {@code bn}: same shape, epsilon, parameterization and name. */
    public static FrozenBatchNorm of(BatchNormalization bn) {
        FrozenBatchNorm f = new FrozenBatchNorm();
        f.setLayerName(bn.getLayerName());
        f.setNIn(bn.getNIn());
        f.setNOut(bn.getNOut());
        f.setDecay(bn.getDecay());
        f.setEps(bn.getEps());
        f.setMinibatch(bn.isMinibatch());
        f.setGamma(bn.getGamma());
        f.setBeta(bn.getBeta());
        f.setLockGammaBeta(bn.isLockGammaBeta());
        f.setUseLogStd(bn.isUseLogStd());
        f.setCnn2DFormat(bn.getCnn2DFormat());
        f.setIUpdater(new NoOp());
        return f;
    }

    /**
     * {@code graph} with every BatchNorm layer that is not frozen already (by a freeze point or by this class)
     * replaced by a {@code FrozenBatchNorm}, parameters copied; {@code graph} itself when it has none.
     */
    public static ComputationGraph freezeAll(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        int replaced = 0;
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BatchNormalization bn
                    && !(bn instanceof FrozenBatchNorm)) {
                layer.getLayerConf().setLayer(of(bn));
                replaced++;
            }
        }
        if (replaced == 0) {
            return graph;
        }
        ComputationGraph frozen = new ComputationGraph(conf);
        frozen.init(graph.params().dup(), false);
        return frozen;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        LayerValidation.assertNOutSet("FrozenBatchNorm", getLayerName(), layerIndex, getNOut());
        Impl layer = new Impl(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return new NoOp();
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return null;
    }

    /**
     * Forward: DL4J's own inference-mode BatchNorm, so outputs are exactly what the same weights give at evaluation.
     * Backward: the layer is the fixed affine map {@code y = γ(x − μ)/√(σ² + ε) + β} per channel, so
     * {@code dx = dy · γ/√(σ² + ε)}, and every parameter's gradient is zero.
     */
    static final class Impl extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            return super.activate(false, workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            BatchNormalization c = layerConf();
            int channelAxis = epsilon.rank() == 2 || c.getCnn2DFormat() == org.deeplearning4j.nn.conf.CNN2DFormat.NCHW
                    ? 1 : 3;
            INDArray scale = gamma(c).div(std(c)).castTo(epsilon.dataType());
            INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                    epsilon.shape(), epsilon.ordering());
            Nd4j.getExecutioner().exec(new BroadcastMulOp(epsilon, scale, dx, channelAxis));
            Gradient none = new DefaultGradient();
            for (String name : paramTable().keySet()) {
                none.setGradientFor(name, gradientViews.get(name).assign(0));
            }
            return new Pair<>(none, dx);
        }

        private INDArray gamma(BatchNormalization c) {
            return c.isLockGammaBeta()
                    ? Nd4j.valueArrayOf(new long[] {c.getNOut()}, c.getGamma(), dataType)
                    : getParam(BatchNormalizationParamInitializer.GAMMA).reshape(c.getNOut());
        }

        /** √(σ² + ε) per channel, from whichever of variance or log10(std) the layer stores. */
        private INDArray std(BatchNormalization c) {
            INDArray variance = c.isUseLogStd()
                    ? Transforms.pow(Nd4j.valueArrayOf(new long[] {c.getNOut()}, 10.0, dataType),
                            getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).reshape(c.getNOut()).mul(2),
                            false)
                    : getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(c.getNOut()).dup();
            return Transforms.sqrt(variance.addi(c.getEps()), false);
        }
    }
}
